"""Reference data of the académie de Créteil (the 0002 migration holds a frozen copy)."""

DEPARTMENTS = [
    ("77", "Seine-et-Marne", "ce.77mlds@ac-creteil.fr"),
    ("93", "Seine-Saint-Denis", "ce.93mlds@ac-creteil.fr"),
    ("94", "Val-de-Marne", "ce.94mlds@ac-creteil.fr"),
]
