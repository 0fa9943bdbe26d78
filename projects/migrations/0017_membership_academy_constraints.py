from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0016_membership_academy")]

    operations = [
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", True),
                        ("district__isnull", True),
                        ("establishment__isnull", False),
                        ("network__isnull", True),
                        ("role", "etablissement"),
                    ),
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", True),
                        ("district__isnull", True),
                        ("establishment__isnull", False),
                        ("network__isnull", True),
                        ("role", "chef_etablissement"),
                    ),
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", True),
                        ("district__isnull", True),
                        ("establishment__isnull", True),
                        ("network__isnull", False),
                        ("role", "reseau_foquale"),
                    ),
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", True),
                        ("district__isnull", False),
                        ("establishment__isnull", True),
                        ("network__isnull", True),
                        ("role", "mlds"),
                    ),
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", False),
                        ("district__isnull", True),
                        ("establishment__isnull", True),
                        ("network__isnull", True),
                        ("role", "dsden"),
                    ),
                    models.Q(
                        ("academy__isnull", False),
                        ("department__isnull", True),
                        ("district__isnull", True),
                        ("establishment__isnull", True),
                        ("network__isnull", True),
                        ("role", "academie"),
                    ),
                    models.Q(
                        ("academy__isnull", True),
                        ("department__isnull", True),
                        ("district__isnull", True),
                        ("establishment__isnull", True),
                        ("network__isnull", True),
                        ("role", "national"),
                    ),
                    _connector="OR",
                ),
                name="membership_scope_matches_role",
                violation_error_message="Le périmètre ne correspond pas au rôle.",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("academy__isnull", False)),
                fields=("user", "role", "academy"),
                name="membership_unique_academy",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "national")),
                fields=("user", "role"),
                name="membership_unique_national",
            ),
        ),
    ]
