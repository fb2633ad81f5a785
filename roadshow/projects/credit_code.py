"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters: registering authority (1), entity category (1), administrative
region (6 digits), organisation code (9) and a check character computed over
the first 17 with weights 3^i mod 31 in a 31-symbol alphabet without I, O, S, V, Z.
"""
import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return code.strip().upper()


def is_valid(code: str) -> bool:
    code = normalize(code)
    return bool(_SHAPE.match(code)) and check_character(code[:17]) == code[17]
