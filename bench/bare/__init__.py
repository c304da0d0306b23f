"""A bare Django project: one view returning 200 fixed bytes, no middleware,
no apps, no database. The baseline of the wrk tables ("bare Django trivial
view"), as other event tools were measured against it."""
