from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Evaluation surveys after an event and follow-up surveys months later."""

    name = "evaluation"
