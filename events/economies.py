"""APEC member economies under their official names (APEC says "economies",
not "countries"). Stored values are stable short codes; people only ever see
the labels."""

from django.db import models


class Economy(models.TextChoices):
    AUSTRALIA = "AU", "Australia"
    BRUNEI = "BN", "Brunei Darussalam"
    CANADA = "CA", "Canada"
    CHILE = "CL", "Chile"
    CHINA = "CN", "People's Republic of China"
    HONG_KONG = "HK", "Hong Kong, China"
    INDONESIA = "ID", "Indonesia"
    JAPAN = "JP", "Japan"
    KOREA = "KR", "Republic of Korea"
    MALAYSIA = "MY", "Malaysia"
    MEXICO = "MX", "Mexico"
    NEW_ZEALAND = "NZ", "New Zealand"
    PAPUA_NEW_GUINEA = "PG", "Papua New Guinea"
    PERU = "PE", "Peru"
    PHILIPPINES = "PH", "The Philippines"
    RUSSIA = "RU", "Russia"
    SINGAPORE = "SG", "Singapore"
    CHINESE_TAIPEI = "TW", "Chinese Taipei"
    THAILAND = "TH", "Thailand"
    UNITED_STATES = "US", "United States"
    VIET_NAM = "VN", "Viet Nam"
    OTHER = "XX", "Other / international organisation"
