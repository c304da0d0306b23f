import os

# The suite runs on the "test" profile (in-memory mail, fast hashing) however
# pytest is started.
os.environ.setdefault("DJANGO_ENV", "test")
