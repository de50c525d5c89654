"""Read stage: inputs, bad inputs, language detection, boilerplate."""
from __future__ import annotations

import json
from datetime import date

import pytest

from kg.errors import InputError
from kg.read import Article, BadInput, check_lang, detect_language, find_boilerplate, read_inputs

EN = ("Russia and Ukraine agreed on Tuesday to extend the grain deal, the foreign ministry said in a "
      "statement, adding that talks with the United Nations would continue next week.")
ID = ("Pemerintah Indonesia menyatakan akan terus mendukung upaya perdamaian di kawasan tersebut, "
      "kata juru bicara Kementerian Luar Negeri dalam konferensi pers di Jakarta pada Selasa.")


def test_detects_indonesian_and_english(example_text):
    assert detect_language(example_text) == "id"
    assert detect_language(ID) == "id"
    assert detect_language(EN) == "en"


def test_undetectable_text_is_an_error():
    with pytest.raises(InputError, match="--lang"):
        detect_language("12345 67890 !!!")


def test_unknown_lang_is_rejected():
    with pytest.raises(InputError, match="unknown language 'fr'"):
        check_lang("fr")


def test_text_directory_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text(ID, encoding="utf-8")
    (tmp_path / "b.txt").write_text(EN, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)], published=date(2022, 9, 13)))
    assert [a.id for a in items] == ["a", "b"]
    assert all(isinstance(a, Article) and a.published == date(2022, 9, 13) for a in items)

    jl = tmp_path / "batch.jsonl"
    jl.write_text("\n".join([
        json.dumps({"id": "x1", "text": ID, "published": "2023-01-02", "lang": "id", "publisher": "Antara"}),
        "{not json",
        json.dumps({"id": "x2", "text": ""}),
        json.dumps({"text": EN}),
        json.dumps({"id": "x1", "text": EN}),
        json.dumps({"id": "x3", "text": EN, "published": "13/09/2022"}),
    ]) + "\n", encoding="utf-8")
    items = list(read_inputs([str(jl)]))
    good = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, BadInput)]
    assert [a.id for a in good] == ["x1"]
    assert good[0].published == date(2023, 1, 2) and good[0].publisher == "Antara"
    assert [b.source.rsplit(":", 1)[1] for b in bad] == ["2", "3", "4", "5", "6"]
    assert "malformed JSON" in bad[0].reason
    assert "empty 'text'" in bad[1].reason
    assert "missing 'id'" in bad[2].reason
    assert "duplicate id" in bad[3].reason
    assert "YYYY-MM-DD" in bad[4].reason


@pytest.mark.parametrize("content, reason", [
    (b"", "empty text"),
    (b"   \n\t ", "empty text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ("Berita dari Surabaya".encode("latin-1") + b"\xe9\xff", "not UTF-8"),
])
def test_bad_files_are_reported_with_their_name(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    [item] = read_inputs([str(f)])
    assert isinstance(item, BadInput)
    assert item.source == str(f) and reason in item.reason


def test_missing_file(tmp_path):
    [item] = read_inputs([str(tmp_path / "nope.txt")])
    assert isinstance(item, BadInput) and "no such file" in item.reason


def test_stdin():
    import io
    [a] = read_inputs(["-"], stdin=io.BytesIO(ID.encode()))
    assert a.text == ID and a.source == "<stdin>"


def test_kontan_boilerplate(example_text):
    names = {"Rusia", "Nagorno-Karabakh", "Nagorno", "Turki", "Amnesty", "International"}
    spans = find_boilerplate(example_text, "id", lambda w: w in names)
    kinds = {(s.kind, s.start, s.end) for s in spans}
    # the two inserted headlines end where the article's own next sentence starts
    assert ("related-headline", 931, 1009) in kinds
    assert ("related-headline", 1890, 1979) in kinds
    dateline = next(s for s in spans if s.kind == "dateline")
    pub, place = dateline.groups["publisher"], dateline.groups["place"]
    assert example_text[slice(*pub)] == "KONTAN.CO.ID" and example_text[slice(*place)] == "MOSKOW"
    credited = [example_text[slice(*s.groups["source"])] for s in spans if s.kind == "source-credit"]
    assert "Reuters" in credited and "Interfax" in credited


def test_english_boilerplate():
    text = ("MOSCOW (Reuters) - Russia said on Monday it would respond.\n"
            "Read more: Kremlin says talks stalled\nThe ministry added that ...")
    spans = find_boilerplate(text, "en")
    dl = next(s for s in spans if s.kind == "dateline")
    assert text[slice(*dl.groups["place"])] == "MOSCOW" and text[slice(*dl.groups["publisher"])] == "Reuters"
    rh = next(s for s in spans if s.kind == "related-headline")
    assert rh.text == "Read more: Kremlin says talks stalled"
