"""One row per member economy, with APEC's travel-eligible economies marked.

The list is APEC's (the Guidebook on APEC Projects, travel-eligible member
economies) as it stood when this was written; APEC revises it, and the
Secretariat keeps it current on the desk (desk:travel_eligibility), each
change logged. This migration only fills an empty table: it never overwrites
what the Secretariat has set."""

from django.db import migrations

MEMBER_ECONOMIES = (
    "AU", "BN", "CA", "CL", "CN", "HK", "ID", "JP", "KR", "MY", "MX",
    "NZ", "PG", "PE", "PH", "RU", "SG", "TW", "TH", "US", "VN",
)  # fmt: skip
# Chile; People's Republic of China; Indonesia; Malaysia; Mexico; Papua New
# Guinea; Peru; The Philippines; Thailand; Viet Nam.
TRAVEL_ELIGIBLE = {"CL", "CN", "ID", "MY", "MX", "PG", "PE", "PH", "TH", "VN"}


def seed(apps, schema_editor):
    TravelEligibility = apps.get_model("travel", "TravelEligibility")
    existing = set(TravelEligibility.objects.values_list("economy", flat=True))
    TravelEligibility.objects.bulk_create(
        TravelEligibility(economy=code, eligible=code in TRAVEL_ELIGIBLE)
        for code in MEMBER_ECONOMIES
        if code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("travel", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
