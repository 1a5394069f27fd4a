"""Other regimes and the date rules, on short texts of our own (facts from public reporting) and the
project's corpus, through real extraction into real SQLite ledgers."""

from __future__ import annotations

from armsledger.models import Category, Status
from armsledger.sanctions import FindingKind
from armsledger.store import Ledger

from .conftest import CORPUS, Evaluate, add_corpus, add_text, citing

SCUD_1985 = """North Korea's missile trade long predates sanctions
North Korea shipped Scud-B missiles to Iran in 1985, during Iran's war with Iraq, according to historians of the programme."""

BANGKOK_2009 = """Seized in Bangkok
In December 2009 Thai authorities seized a cargo plane carrying about 35 tonnes of North Korean weapons that were being flown to Iran, according to a UN panel."""

IRAN_DRONES_2022 = """Western governments accuse Tehran over drones
Iran began sending Shahed-136 attack drones to Russia in August 2022, the United States, Britain and France told the Security Council."""

IRAN_DENIAL = """Tehran rejects the accusation
Iran denied supplying drones to Russia for use in Ukraine."""

IRAN_SU35_LEAK = """Leak points to Russian fighter deal with Iran
Documents leaked by a hacker group this month indicate that Russia plans to deliver 48 Su-35 fighter jets to Iran between 2026 and 2028. Moscow and Tehran have not commented on the documents."""

LIBYA_2019 = """UN experts say Libya embargo is being ignored
A confidential report by United Nations sanctions monitors says the arms embargo on Libya has been broken repeatedly. According to the panel, Turkey delivered armoured vehicles and armed drones to Libya in 2019. The experts also said the United Arab Emirates shipped Pantsir air-defence systems to Libya the same year."""

WAGNER_LIBYA = """Mercenaries in Libya
Russia sent between 800 and 1,200 Wagner mercenaries to Libya in 2019 to fight for Khalifa Haftar, a UN panel of experts estimated."""

MALI_2022 = """Russian aircraft for Bamako
Mali's air force took delivery of Su-25 ground-attack aircraft from Russia in August 2022, state television said."""

CAR_ARMY_2018 = """Russia arms Central African army
Russia delivered rifles and ammunition to the Central African Republic's army in 2018 after the UN sanctions committee exempted the shipment."""

HAITI_GANGS = """Guns from Florida keep Haiti's gangs supplied
Traffickers have smuggled hundreds of rifles and pistols from the United States to Haiti's gangs, a UN Office on Drugs and Crime study said."""


def test_russian_air_defence_to_the_dprk_is_an_arms_supply_finding(
    ledger: Ledger, findings_of: Evaluate
) -> None:
    claims = add_corpus(ledger, CORPUS / "315-russia-dprk-oil-air-defence.json")
    air_defence = [
        c
        for c in claims
        if (c.claim.supplier, c.claim.recipient) == ("RUS", "PRK") and "air defence" in c.claim.item
    ]
    assert air_defence, "extraction lost the air-defence claim"
    cited = citing(findings_of(ledger), "1718 (2006)", "8(a)")
    (finding,) = [f for f in cited if f.supplier == "RUS"]
    assert finding.kind is FindingKind.BREACH and finding.recipient == "PRK"
    assert air_defence[0].claim_id in finding.claim_ids
    # The supply bans of 1874 and 2270 apply too.
    assert citing(findings_of(ledger), "1874 (2009)", "10") and citing(
        findings_of(ledger), "2270 (2016)", "6"
    )


def test_refined_petroleum_above_the_2397_cap_is_a_finding(ledger: Ledger, findings_of: Evaluate) -> None:
    claims = add_corpus(ledger, CORPUS / "315-russia-dprk-oil-air-defence.json")
    oil = next(c for c in claims if c.claim.quantity.unit == "barrel")
    assert oil.claim.quantity.central == 1_000_000
    (finding,) = citing(findings_of(ledger), "2397 (2017)", "5")
    assert finding.kind is FindingKind.BREACH and (finding.supplier, finding.recipient) == ("RUS", "PRK")
    assert finding.claim_ids == (oil.claim_id,)
    assert any("above the cap of 500,000 barrels" in n for n in finding.notes)
    # "Oil" alone is read as refined products, which costs confidence; crude's 4m-barrel cap is not reached.
    assert any(f.name == "assumed_item" for f in finding.claims[0].factors)
    assert not citing(findings_of(ledger), "2397 (2017)", "4")


def test_a_transfer_dated_before_the_regime_began_gives_no_finding(
    ledger: Ledger, findings_of: Evaluate
) -> None:
    claims = add_text(ledger, SCUD_1985, "2006-10-20", key="scud-1985")
    assert [
        (c.claim.supplier, c.claim.recipient, c.claim.time.start if c.claim.time else None) for c in claims
    ] == [("PRK", "IRN", "1985")]
    assert findings_of(ledger) == []
    # A North Korean arms export to Iran once the regime was in force is a finding.
    (later,) = add_text(ledger, BANGKOK_2009, "2010-05-01", key="bangkok-2009")
    assert (later.claim.supplier, later.claim.recipient) == ("PRK", "IRN")
    (finding,) = citing(findings_of(ledger), "1874 (2009)", "9")
    assert finding.claim_ids == (later.claim_id,)


def test_iranian_drones_in_2022_engage_2231_annex_b(ledger: Ledger, findings_of: Evaluate) -> None:
    (drones,) = add_text(ledger, IRAN_DRONES_2022, "2022-10-20", key="iran-drones")
    (finding,) = [f for f in findings_of(ledger) if f.regime == "IRAN"]
    assert finding.provision.citation == "2231 (2015), Annex B, para. 4"
    assert finding.claim_ids == (drones.claim_id,) and finding.kind is FindingKind.BREACH
    assert not finding.provision.contested and not finding.denials
    undenied = finding.confidence
    # A denial gives no finding of its own, but lowers the confidence of the finding it contradicts.
    (denial,) = add_text(ledger, IRAN_DENIAL, "2022-10-21", key="iran-denial")
    assert denial.claim.status is Status.DENIED
    (finding,) = [f for f in findings_of(ledger) if f.regime == "IRAN"]
    assert finding.denials == (denial.claim_id,) and finding.confidence < undenied


def test_iranian_missiles_in_2024_fall_between_2231_and_the_snapback(
    ledger: Ledger, findings_of: Evaluate
) -> None:
    claims = add_corpus(ledger, CORPUS / "301-iran-fath360-russia.json")
    assert any(c.claim.category is Category.MISSILE and c.claim.status is Status.OCCURRED for c in claims)
    assert [f for f in findings_of(ledger) if f.regime == "IRAN"] == []


def test_a_planned_delivery_after_the_snapback_is_a_contested_intent(
    ledger: Ledger, findings_of: Evaluate
) -> None:
    (jets,) = add_text(ledger, IRAN_SU35_LEAK, "2025-10-20", key="su35-leak")
    assert jets.claim.status is Status.EXPECTED
    (finding,) = [f for f in findings_of(ledger) if f.regime == "IRAN"]
    assert finding.provision.citation == "1929 (2010), para. 8"
    assert finding.kind is FindingKind.INTENT and finding.provision.contested
    assert any(n.startswith("contested:") for n in finding.notes)


def test_arms_to_libya_breach_resolution_1970(ledger: Ledger, findings_of: Evaluate) -> None:
    claims = add_text(ledger, LIBYA_2019, "2020-05-30", key="libya")
    cited = citing(findings_of(ledger), "1970 (2011)", "9")
    assert {f.supplier for f in cited} == {"TUR", "ARE"}
    assert {i for f in cited for i in f.claim_ids} == {c.claim_id for c in claims}
    # Armed mercenaries are named by the provision itself: not an interpretation.
    (wagner,) = add_text(ledger, WAGNER_LIBYA, "2020-05-07", key="wagner")
    (finding,) = [f for f in citing(findings_of(ledger), "1970 (2011)", "9") if f.supplier == "RUS"]
    assert finding.claim_ids == (wagner.claim_id,) and finding.basis.value == "text"


def test_no_un_regime_covers_mali(ledger: Ledger, findings_of: Evaluate) -> None:
    claims = add_text(ledger, MALI_2022, "2022-08-17", key="mali")
    assert claims and {c.claim.recipient for c in claims} == {"MLI"}
    assert findings_of(ledger) == []


def test_exempt_government_forces_give_no_finding_but_gangs_do(ledger: Ledger, findings_of: Evaluate) -> None:
    car = add_text(ledger, CAR_ARMY_2018, "2018-03-01", key="car")
    assert {c.claim.recipient for c in car} == {"CAF"}
    assert findings_of(ledger) == []
    (guns,) = add_text(ledger, HAITI_GANGS, "2023-03-15", key="haiti")
    (finding,) = findings_of(ledger)
    assert finding.regime == "HAITI" and finding.claim_ids == (guns.claim_id,)
    assert any("gang" in n for n in finding.claims[0].notes)
    # Published before 2699 (2023) took effect: only the targeted 2653 embargo applies.
    assert finding.provision.resolution == "2653 (2022)"
