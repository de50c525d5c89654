"""Our entity linking inside a spaCy pipeline: `python examples/spacy_linker.py [TEXT_FILE] [OUT.html]`.

Links the seed article (or TEXT_FILE) with the `kg_linker` component, prints the linked
entities, the facts and events, and writes displaCy's entity view to OUT.html (default
spacy_linker.html in the current directory).
"""
import sys
from pathlib import Path

import spacy

import kg.spacy_component  # noqa: F401  registers "kg_linker" (the entry point does it for installed packages)

here = Path(__file__).resolve().parent
src = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "kontan-2022-09-13.txt"
out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("spacy_linker.html")
text = src.read_text(encoding="utf-8")

nlp = spacy.blank("id")
nlp.add_pipe("kg_linker", config={"lang": "id", "published": "2022-09-13"})
doc = nlp(text)

print([(e.text, e.label_, e.kb_id_) for e in doc.ents])
for f in doc._.kg_facts:
    print("fact:", f.subject, f.prop, f.object)
for ev in doc._.kg_events:
    print("event:", ev.plover, "actors", ev.actors, "targets", ev.targets, "speaker", ev.speaker)

html = spacy.displacy.render(doc, style="ent", page=True)
out.write_text(html, encoding="utf-8")
print(f"wrote {out}")
