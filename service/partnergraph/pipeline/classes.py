"""Which RDF classes each organisation type and agreement type implies (types are keys of ontology/concepts.ttl)."""

from __future__ import annotations

from rdflib import URIRef

from ..vocab import CV, ORG, PG, SCHEMA

_FORMAL = ORG.FormalOrganization
_UNIT = ORG.OrganizationalUnit
_COLLAB = ORG.OrganizationalCollaboration
_PUBLIC = (_FORMAL, CV.PublicOrganisation, SCHEMA.GovernmentOrganization)

ORGANISATION_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "university": (_FORMAL, SCHEMA.CollegeOrUniversity),
    "university-medical-centre": (_FORMAL, SCHEMA.Hospital, SCHEMA.CollegeOrUniversity),
    "university-of-applied-sciences": (_FORMAL, SCHEMA.CollegeOrUniversity),
    "school": (_FORMAL, SCHEMA.EducationalOrganization),
    "research-school": (_COLLAB, SCHEMA.EducationalOrganization),
    "faculty": (_UNIT, SCHEMA.EducationalOrganization),
    "expertise-centre": (_UNIT,),
    "botanical-garden": (_UNIT,),
    "board": (_UNIT,),
    "hospital": (_FORMAL, SCHEMA.Hospital),
    "hospital-group": (_FORMAL, SCHEMA.MedicalOrganization),
    "research-institute": (_FORMAL, SCHEMA.ResearchOrganization),
    "research-centre": (_FORMAL, SCHEMA.ResearchOrganization),
    "museum": (_FORMAL,),
    "municipality": _PUBLIC,
    "province": _PUBLIC,
    "supranational-body": _PUBLIC,
    "government-agency": _PUBLIC,
    "funding-body": (*_PUBLIC, SCHEMA.FundingScheme),
    "company": (_FORMAL, SCHEMA.Corporation),
    "business-centre": (_FORMAL,),
    "foundation": (_FORMAL, SCHEMA.NGO),
    "fund": (_FORMAL, SCHEMA.FundingScheme),
    "association": (_FORMAL, SCHEMA.NGO),
    "alliance": (_COLLAB, SCHEMA.Consortium),
    "consortium": (_COLLAB, SCHEMA.Consortium),
    "network": (_COLLAB,),
    "collaboration": (_COLLAB,),
    "campus": (_COLLAB,),
    "programme": (_COLLAB, SCHEMA.Project),
    "project": (_COLLAB, SCHEMA.ResearchProject),
}

AGREEMENT_CLASSES: dict[str, URIRef] = {
    "agreement": PG.Agreement,
    "cooperation-agreement": PG.CooperationAgreement,
    "partnership-agreement": PG.PartnershipAgreement,
    "covenant": PG.Covenant,
    "alliance-agreement": PG.AllianceAgreement,
    "founding-deed": PG.FoundingDeed,
}
