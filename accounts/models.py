from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person, identified by e-mail: officials change usernames nowhere else,
    so we do not ask for one."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    @cached_property
    def is_organiser(self):
        """An organiser of at least one event (of any status): such a user, like
        staff, has the organiser desk and must use two-factor sign-in where
        that is required."""
        return self.organised_events.exists()

    @property
    def public_name(self):
        """The name the person gave, or "" when none: never the e-mail address,
        which only organisers may see."""
        profile = getattr(self, "profile", None)
        if profile is not None and profile.full_name:
            return profile.full_name
        return self.get_full_name()

    @property
    def display_name(self):
        return self.public_name or self.email
