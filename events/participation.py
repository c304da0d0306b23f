from django.db import models


class ParticipationType(models.TextChoices):
    """How someone takes part. Lives beside events because an event says which
    types need an organiser's approval."""

    DELEGATE = "delegate", "Member-economy delegate"
    HEAD_OF_DELEGATION = "head_of_delegation", "Head of delegation"
    SPEAKER = "speaker", "Speaker"
    OBSERVER = "observer", "Observer"
    GUEST = "guest", "Guest"
    SECRETARIAT = "secretariat", "Secretariat"
