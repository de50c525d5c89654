"""Small texts the tests share (written here, not taken from the evaluation data)."""

ID_TEXT = ("JAKARTA - Presiden Prancis Emmanuel Macron bertemu Perdana Menteri Armenia Nikol Pashinyan di Paris "
           "pada Senin. Kedua pemimpin membahas situasi di perbatasan Armenia dan Azerbaijan, kata "
           "Kementerian Luar Negeri Prancis dalam pernyataannya.")
EN_TEXT = ("PARIS - French President Emmanuel Macron met Armenian Prime Minister Nikol Pashinyan in Paris on "
           "Monday. The two leaders discussed the situation on the border between Armenia and Azerbaijan, "
           "the ministry said in a statement.")
