"""The register of processing activities as shipped: loaded by a data migration.

A change of purpose, legal basis or retention is a new version of the activity (a new
migration that adds it), never an edit of the old row: log entries keep their meaning.
"""

from __future__ import annotations

ACTIVITIES = [
    {
        "code": "user-administration",
        "name": "Beheren van gebruikersaccounts",
        "purpose": "Toegang tot Welkom verlenen en intrekken voor medewerkers van deelnemende organisaties.",
        "legal_basis": "AVG art. 6 lid 1 sub e (taak van algemeen belang), in samenhang met art. 32 (beveiliging).",
        "data_categories": "Naam, e-mailadres, organisatie en rol van medewerkers.",
        "retention": "Zolang het account bestaat, daarna 1 jaar.",
    },
    {
        "code": "night-register",
        "name": "Bijhouden van het nachtregister",
        "purpose": "Vastleggen wie waar overnacht, zoals huisvesters moeten doen (art. 438 Sr, APV).",
        "legal_basis": "AVG art. 6 lid 1 sub c (wettelijke plicht: art. 438 Wetboek van Strafrecht, APV) en sub e.",
        "data_categories": "Naam, geboortedatum, nationaliteit, woonplaats en land, soort identiteitsbewijs, verblijfsperioden en -adres.",
        "retention": "12 maanden na het laatste verblijf; daarna alleen geaggregeerde aantallen.",
    },
    {
        "code": "brp-registration-signalling",
        "name": "Signaleren van de plicht tot inschrijving in de BRP",
        "purpose": "Werknemers, werkgevers en gemeenten wijzen op inschrijving in BRP of RNI, adreswijziging en vertrek.",
        "legal_basis": "AVG art. 6 lid 1 sub e; Wet BRP art. 2.38, 2.39 en 2.43.",
        "data_categories": "Naam, geboortedatum, inschrijvingsstatus, verblijfsperioden en -adres.",
        "retention": "Tot het signaal is afgehandeld, uiterlijk 12 maanden na het laatste verblijf.",
    },
    {
        "code": "housing-supervision",
        "name": "Toezicht op huisvesting",
        "purpose": "Gemeentelijk toezicht op kwaliteit en bezetting van huisvesting van internationale werknemers.",
        "legal_basis": "AVG art. 6 lid 1 sub e; Woningwet, Wet goed verhuurderschap, APV.",
        "data_categories": "Bezetting per locatie; bij inspectie: namen van bewoners.",
        "retention": "12 maanden na het laatste verblijf.",
    },
    {
        "code": "retention",
        "name": "Uitvoeren van de bewaartermijnen",
        "purpose": "Persoonsgegevens verwijderen zodra de bewaartermijn verstreken is.",
        "legal_basis": "AVG art. 5 lid 1 sub e (opslagbeperking).",
        "data_categories": "Alle persoonsgegevens in het register (alleen verwijderen).",
        "retention": "Het verwijderverslag bevat geen persoonsgegevens en wordt bewaard.",
    },
    {
        "code": "loket-contacts",
        "name": "Publiceren van contactpersonen voor internationale werknemers",
        "purpose": "Werknemers de contactpersoon of het team van hun gemeente laten vinden in het loket.",
        "legal_basis": "AVG art. 6 lid 1 sub e (taak van algemeen belang: informatie aan internationale werknemers).",
        "data_categories": "Naam of team, zakelijk e-mailadres en telefoonnummer, gesproken talen, openingstijden.",
        "retention": "Zolang de gemeente de contactpersoon opgeeft; een vervangen naam wordt overschreven.",
    },
    {
        "code": "work-placements",
        "name": "Bijhouden van plaatsingen van arbeidskrachten",
        "purpose": "Vastleggen bij welke inlener en via welk uitzendbureau een internationale werknemer werkt, zodat de gemeente ziet wie afhankelijk is van werk en huisvesting van één partij (overgangstermijn na einde werk) en of uitleners een Wtta-toelating hebben.",
        "legal_basis": "AVG art. 6 lid 1 sub e (taak van algemeen belang: beleid internationale werknemers Provincie Limburg); Wtta. Concept: door de functionaris gegevensbescherming te bevestigen.",
        "data_categories": "Verwijzing naar een persoon in het nachtregister, KvK-nummer van inlener en uitlener, begin- en einddatum van het werk. Geen loon, geen contracten.",
        "retention": "Zoals het nachtregister: 12 maanden na het laatste verblijf van de persoon.",
    },
]
