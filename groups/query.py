"""Local groups nearest a point, with the distance worked out by the database.

No GIS extension: a bounding box on latitude and longitude (plain comparisons, so an index can
serve them) narrows the rows when a radius is given, then the spherical law of cosines gives
the great-circle distance with Django's math functions, which SQLite and PostgreSQL both have.
At the scale of the UK it agrees with the haversine formula to well under a metre.
"""

import math

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import ACos, Cast, Cos, Greatest, Least, Radians, Sin
from wagtail.models import PageManager

from core.query import SanctuaryPageQuerySet

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_MILE = 1.609344
KM_PER_DEGREE_OF_LATITUDE = math.pi * EARTH_RADIUS_KM / 180


def bounding_box_q(latitude: float, longitude: float, radius_km: float) -> Q:
    """Points within `radius_km` of the centre lie inside this box (a superset of the circle)."""
    latitude_span = radius_km / KM_PER_DEGREE_OF_LATITUDE
    # A degree of longitude shrinks with the cosine of the latitude; take the box's widest edge.
    widest = min(abs(latitude) + latitude_span, 89.9)
    longitude_span = min(
        radius_km / (KM_PER_DEGREE_OF_LATITUDE * math.cos(math.radians(widest))), 180.0
    )
    return Q(
        latitude__gte=latitude - latitude_span,
        latitude__lte=latitude + latitude_span,
        longitude__gte=longitude - longitude_span,
        longitude__lte=longitude + longitude_span,
    )


def great_circle_km(latitude: float, longitude: float):
    """An expression: the distance in km from the given point to each row's latitude/longitude.

    NULL where the row has no location. The cosine is clamped to [-1, 1] because rounding can
    take it a hair past 1 for the same point, where ACOS would fail (PostgreSQL) or give NULL.
    The clamp is applied only to rows with a location: PostgreSQL's GREATEST and LEAST skip
    NULLs (SQLite's give NULL), which would put a group without one at the antipode.
    """
    row_latitude = Radians(Cast("latitude", FloatField()))
    row_longitude = Radians(Cast("longitude", FloatField()))
    phi = math.radians(latitude)
    cosine = Value(math.sin(phi)) * Sin(row_latitude) + Value(math.cos(phi)) * Cos(
        row_latitude
    ) * Cos(row_longitude - Value(math.radians(longitude)))
    clamped = Least(Greatest(cosine, Value(-1.0)), Value(1.0))
    return Case(
        When(
            Q(latitude__isnull=False, longitude__isnull=False),
            then=ACos(clamped, output_field=FloatField()) * Value(EARTH_RADIUS_KM),
        ),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


class LocalGroupPageQuerySet(SanctuaryPageQuerySet):
    def covering(self):
        """Groups that speak for the constituencies they cover: public and not closed.

        The one rule for letters (the covering group's paragraph), /near/'s covering groups and
        the staff dashboard's uncovered constituencies. A closed group's pages stay readable.
        """
        from groups.models import GroupStatus

        return self.visible_to_public().exclude(status=GroupStatus.CLOSED)

    def near(self, latitude: float, longitude: float, within_km: float | None = None):
        """Nearest first, annotated with `distance_km` and `distance_miles`.

        Without `within_km` every group stays, those without a location last (their distance
        is None); with it, only groups within that distance.
        """
        groups = self
        if within_km is not None:
            groups = groups.filter(bounding_box_q(latitude, longitude, within_km))
        groups = groups.annotate(distance_km=great_circle_km(latitude, longitude)).annotate(
            distance_miles=F("distance_km") / Value(KM_PER_MILE)
        )
        if within_km is not None:
            groups = groups.filter(distance_km__lte=within_km)
        return groups.order_by(F("distance_km").asc(nulls_last=True), "title", "pk")


LocalGroupPageManager = PageManager.from_queryset(LocalGroupPageQuerySet)
