"""The closed vocabularies of metrics: kinds, sectors, stages, approximation, status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    FUNDING = "funding", _("Aid funding")
    INVESTMENT = "investment", _("Investment")
    OUTPUT_VALUE = "output_value", _("Output value")
    INCOME = "income", _("Income")
    PROJECTS = "projects", _("Projects")
    ENTERPRISES = "enterprises", _("Enterprises")
    JOBS = "jobs", _("Jobs")
    TRAINEES = "trainees", _("People trained")
    CADRES = "cadres", _("Cadres and talents sent")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")
    FACILITIES = "facilities", _("Facilities built")
    AREA = "area", pgettext_lazy("kind of figure", "Area")
    PRODUCTION = "production", _("Production capacity")
    SHARE = "share", _("Share")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    LIVELIHOOD = "livelihood", _("Livelihood")
    TALENT = "talent", _("Talent")
    CULTURE = "culture", _("Culture and tourism")
    AGRICULTURE = "agriculture", _("Agriculture")
    EXCHANGE = "exchange", _("Exchange")
    TRADE = "trade", _("Trade")
    GENERAL = "general", _("General")


class Stage(models.TextChoices):
    """How far along the aid a figure reports is (articles/text/stages.py); totals never add two stages."""

    PLANNED = "planned", _("planned")
    COMMITTED = "committed", _("committed")
    ACHIEVED = "achieved", _("achieved")
    UNKNOWN = "unknown", pgettext_lazy("stage of a figure", "unknown")


class Approx(models.TextChoices):
    EXACT = "exact", _("exact")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", _("about")


class Status(models.TextChoices):
    EXTRACTED = "extracted", _("extracted")
    VERIFIED = "verified", _("verified")
    EDITED = "edited", _("edited")
    REJECTED = "rejected", _("rejected")


class Origin(models.TextChoices):
    EXTRACTED = "extracted", _("found by the extractor")
    CURATOR = "curator", _("added by a curator")


class AreaLevel(models.TextChoices):
    REGION = "region", _("region")
    CORPS = "corps", _("corps")
    PREFECTURE = "prefecture", _("prefecture")
    CITY = "city", _("county-level city")
    COUNTY = "county", _("county")
    DISTRICT = "district", _("district")
    DIVISION = "division", _("XPCC division")
    REGIMENT = "regiment", _("XPCC regiment")
    ZONE = "zone", _("development zone")


class PublishedFrom(models.TextChoices):
    """Where an article's date was read: its own text, the web page's metadata, or an archive's capture date."""

    TEXT = "text", _("the article's text")
    METADATA = "metadata", _("the page's metadata")
    CAPTURE = "capture", _("the archive's capture date")


class Script(models.TextChoices):
    SIMPLIFIED = "simplified", _("simplified")
    TRADITIONAL = "traditional", _("traditional")


# Kinds whose totals the overview compares across donors, in display order.
HEADLINE_KINDS = [
    Kind.FUNDING,
    Kind.INVESTMENT,
    Kind.PROJECTS,
    Kind.JOBS,
    Kind.TRAINEES,
    Kind.CADRES,
]
