"""MUC-4 role scorer: the matching rule and its arithmetic, on a fixture written for the tests."""

from __future__ import annotations

from pathlib import Path

from eventcoder.evaluation.muc4 import MucReport, match_role, read_muc4

TINY = Path(__file__).parent / "fixtures" / "muc4" / "tiny.json"


def test_read_maps_gold_keys_to_roles():
    docs = {d.id: d for d in read_muc4(TINY)}
    assert set(docs) == {"T-1", "T-2", "T-3"}
    assert docs["T-1"].gold["perp_organization"] == [["PEOPLE'S LIBERATION FRONT", "PLF"]]
    assert docs["T-3"].gold["hum_tgt"] == [["ANDRES FELIPE ORTIZ", "MAYOR ANDRES FELIPE ORTIZ"]]
    assert all(not v for v in docs["T-2"].gold.values())


def test_a_filler_matches_any_mention_case_and_space_insensitively():
    gold = [["POWER PYLONS", "PYLONS"]]
    assert match_role(["pylons"], gold) == 1
    assert match_role(["Power   pylons"], gold) == 1
    assert match_role(["pylon"], gold) == 0


def test_each_gold_entity_and_each_prediction_count_once():
    gold = [["POWER PYLONS", "PYLONS"], ["DYNAMITE"]]
    # two mentions of the same entity: one match, one false positive
    report = MucReport(file="x")
    assert report.add("phys_tgt", ["PYLONS", "POWER PYLONS", "DYNAMITE", "BRIDGE"], gold) == 2
    c = report.roles["phys_tgt"]
    assert (c.predicted, c.gold, c.matched) == (4, 2, 2)
    assert c.precision == 0.5 and c.recall == 1.0
    assert abs(c.f1 - 2 / 3) < 1e-9


def test_overall_is_micro_averaged_over_roles():
    report = MucReport(file="x")
    report.add("weapon", ["DYNAMITE"], [["DYNAMITE"]])  # 1/1
    report.add("perp_individual", ["MEN", "SOLDIERS"], [["GUNMEN"], ["TROOPS"]])  # 0/2, 0/2
    o = report.overall
    assert (o.predicted, o.gold, o.matched) == (3, 3, 1)
    assert round(o.precision, 3) == 0.333 and round(o.recall, 3) == 0.333
    d = report.to_dict()
    assert d["overall"]["f1"] == round(1 / 3, 4)
    assert d["roles"]["weapon"]["f1"] == 1.0


def test_no_prediction_and_no_gold_scores_zero_without_dividing_by_zero():
    report = MucReport(file="x")
    report.add("hum_tgt", [], [])
    assert report.roles["hum_tgt"].f1 == 0.0


def _roles(resources, text: str) -> dict[str, list[str]]:
    from eventcoder.coder import code_article
    from eventcoder.extract.roles import extract_roles
    from eventcoder.records import Article

    coded = code_article(Article(id="t", text=text, published="1990-03-02"), resources)
    return extract_roles(coded, resources=resources)


def test_a_physical_target_keeps_its_modifiers_and_the_weapon_used_is_named(resources):
    roles = _roles(
        resources,
        "Rebels of the Shining Path blew up the Huancayo power substation with dynamite on Thursday, "
        "police said. Nobody was hurt.",
    )
    assert "Huancayo power substation" in roles["phys_tgt"]
    assert "substation" not in [p.lower() for p in roles["phys_tgt"]]
    assert "dynamite" in [w.lower() for w in roles["weapon"]]
    assert "Shining Path" in roles["perp_organization"]


def test_the_person_murdered_is_a_human_target_and_an_article_without_violence_has_no_roles(resources):
    roles = _roles(
        resources,
        "Gunmen on a motorcycle shot dead the journalist Marta Elena Quiroga outside her home in Cali "
        "on Tuesday, police said.",
    )
    assert "Marta Elena Quiroga" in roles["hum_tgt"]
    quiet = _roles(resources, "The ministers met in Lima on Tuesday to discuss coffee exports and tariffs.")
    assert all(not v for v in quiet.values())


def test_a_victim_named_outside_the_reported_event_is_found(resources):
    roles = _roles(
        resources,
        "Gunmen attacked a courthouse in Medellin on Monday, killing two guards, police said. "
        "Officials said the attack was followed by the kidnapping of Judge Rosa Elena Marin near her home.",
    )
    assert "Rosa Elena Marin" in roles["hum_tgt"]


def test_a_group_of_perpetrators_is_named_with_its_count_and_its_organisation(resources):
    roles = _roles(
        resources,
        "SAN MIGUEL, 2 MAR 90 -- THREE HEAVILY ARMED MEN TODAY MACHINEGUNNED THE HOUSE OF A COFFEE GROWER "
        "IN SAN MIGUEL, POLICE SAID. IN A SEPARATE INCIDENT, MEMBERS OF THE FARABUNDO MARTI NATIONAL "
        "LIBERATION FRONT DYNAMITED A POWER PYLON NEAR USULUTAN.",
    )
    perps = [p.upper() for p in roles["perp_individual"]]
    assert "THREE HEAVILY ARMED MEN" in perps
    assert "HEAVILY ARMED MEN" not in perps
    assert "MEMBERS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT" in perps


def test_a_word_describing_the_attack_names_the_perpetrators_only_when_nothing_else_does(resources):
    described = _roles(
        resources,
        "LIMA, 4 MAR 90 -- A POWER PYLON WAS DESTROYED IN HUANCAYO TODAY IN A TERRORIST ATTACK WITH "
        "DYNAMITE, POLICE SAID.",
    )
    assert [p.upper() for p in described["perp_individual"]] == ["TERRORIST"]
    named = _roles(
        resources,
        "LIMA, 4 MAR 90 -- GUERRILLAS DYNAMITED A POWER PYLON IN HUANCAYO TODAY. POLICE SAID THE "
        "TERRORIST ATTACK LEFT THE CITY WITHOUT ELECTRICITY.",
    )
    perps = [p.upper() for p in named["perp_individual"]]
    assert "GUERRILLAS" in perps and "TERRORIST" not in perps


def test_names_after_a_title_stop_at_a_possessive_and_at_plain_plurals(resources):
    from eventcoder.coder import code_article
    from eventcoder.extract.roles import extract_roles
    from eventcoder.records import Article

    text = (
        "SAN SALVADOR, 2 MAR 90 -- URBAN COMMANDOS TODAY ATTACKED THE RESIDENCE OF MINISTER "
        "RAMIRO ALVARENGA'S BROTHER WITH GRENADES. THEY ALSO KILLED JESUIT PRIESTS IN THE "
        "UNIVERSITY, POLICE SAID."
    )
    coded = code_article(Article(id="t", text=text, published="1990-03-02"), resources)
    names = [n.upper() for n in extract_roles(coded, resources=resources)["hum_tgt"]]
    assert "RAMIRO ALVARENGA" in names
    assert not [n for n in names if "PRIESTS" in n or "'S" in n]


def test_what_a_rioting_mob_burns_is_a_physical_target(resources):
    roles = _roles(
        resources,
        "LIMA, 5 MAR 90 -- A MOB OF STRIKERS TODAY SET FIRE TO THREE BUSES AND STONED THE CITY HALL OF "
        "HUANCAYO DURING A VIOLENT PROTEST AGAINST FUEL PRICES, POLICE SAID.",
    )
    assert "BUSES" in [t.upper() for t in roles["phys_tgt"]]


def test_victims_are_named_from_passives_lists_and_relative_clauses_in_upper_case_copy(resources):
    from eventcoder.extract.roles import default_roles, victim_names

    text = (
        "TEGUCIGALPA, 9 MAY 90 -- THE VICTIMS WERE IDENTIFIED AS ROLANDO FUNES,\nA SCHOOLTEACHER, AND "
        "MAGDALENA ZUNIGA TREJO. BOTH WERE KIDNAPPED BY ARMED MEN IN SAN PEDRO SULA.\n\n"
        "THE RANCHER'S NEPHEW, OSMAN QUESADA, WAS WOUNDED IN THE SAME ATTACK, COLONEL ARNULFO PAVON SAID. "
        "THE INCIDENT WAS DESCRIBED BY WITNESS GILBERTO MONCADA, WHO WAS NOT HURT."
    )
    names = victim_names(text, default_roles(), resources.english, resources.gazetteer)
    assert "ROLANDO FUNES" in names
    assert "MAGDALENA ZUNIGA TREJO" in names
    assert "OSMAN QUESADA" in names
    assert "ARNULFO PAVON" not in names  # the officer who speaks
    assert not [n for n in names if n.startswith(("SAN ", "PEDRO SULA"))]


def test_a_word_describing_a_victim_is_not_part_of_the_name(resources):
    from eventcoder.extract.roles import default_roles, victim_names

    text = "LA PAZ, 3 JUN 90 -- COMMUNITY LEADER TEODORO QUISPE MAMANI WAS MURDERED AT HIS HOME TODAY."
    names = victim_names(text, default_roles(), resources.english, resources.gazetteer)
    assert names == ["TEODORO QUISPE MAMANI"]


def test_the_victim_of_a_murder_is_named_even_when_the_report_is_about_the_protest(resources):
    from eventcoder.coder import code_article
    from eventcoder.extract.roles import extract_roles
    from eventcoder.records import Article

    text = (
        "BOGOTA, 4 NOV 89 -- HUNDREDS OF COURT EMPLOYEES MARCHED PEACEFULLY IN BOGOTA TODAY TO PROTEST THE "
        "ASSASSINATION OF THEIR COLLEAGUE ESTELA MARGARITA CUBIDES LAST WEEK."
    )
    coded = code_article(Article(id="t", text=text, published="1989-11-04"), resources)
    roles = extract_roles(coded, resources=resources)
    assert roles["hum_tgt"] == ["ESTELA MARGARITA CUBIDES"]
    assert not roles["phys_tgt"] and not roles["perp_individual"]


def test_people_named_as_perpetrators_keep_their_title_and_troops_captives_are_not_perpetrators(resources):
    from eventcoder.extract.roles import default_roles, perpetrator_names

    text = (
        "SAN SALVADOR, 7 FEB 90 -- A JUDGE SAID TODAY THAT THE MASSACRE AT EL ZAPOTE WAS ORDERED BY "
        "LIEUTENANT COLONEL ERNESTO ZELAYA PORTILLO. SERGIO ALFARO MENJIVAR WAS ARRESTED ON MONDAY.\n\n"
        "ON 4 JANUARY, PEASANTS EUSEBIO LANDAVERDE AND CATALINA MIRANDA WERE CAPTURED BY ARMY TROOPS."
    )
    names = perpetrator_names(text, default_roles(), resources.english, resources.gazetteer)
    assert "LIEUTENANT COLONEL ERNESTO ZELAYA PORTILLO" in names
    assert "SERGIO ALFARO MENJIVAR" in names
    assert not [n for n in names if "LANDAVERDE" in n or "MIRANDA" in n]


def test_perpetrators_keep_the_modifiers_and_counts_that_describe_them(resources):
    roles = _roles(
        resources,
        "GUATEMALA CITY, 8 AUG 90 -- A GROUP OF ABOUT 20 HOODED MEN TODAY ATTACKED AND BURNED THE TOWN HALL OF "
        "SAN JUAN SACATEPEQUEZ, FIREMEN SAID.",
    )
    assert "GROUP OF ABOUT 20 HOODED MEN" in [p.upper() for p in roles["perp_individual"]]
    roles = _roles(resources, "LIMA, 9 AUG 90 -- UNIDENTIFIED GUNMEN TODAY SHOT DEAD A BUS DRIVER IN COMAS, POLICE SAID.")
    assert "UNIDENTIFIED GUNMEN" in [p.upper() for p in roles["perp_individual"]]


def test_the_group_that_claimed_an_attack_is_its_perpetrator_organisation(resources):
    from eventcoder.coder import code_article
    from eventcoder.extract.roles import extract_roles
    from eventcoder.records import Article

    text = (
        "LIMA, 12 SEP 90 -- A CAR BOMB EXPLODED TONIGHT OUTSIDE THE OFFICES OF A MINING COMPANY IN "
        "MIRAFLORES, DESTROYING THE FRONT OF THE BUILDING. NOBODY WAS HURT. IN A TELEPHONE CALL TO A "
        "RADIO STATION, THE TUPAC AMARU REVOLUTIONARY MOVEMENT CLAIMED RESPONSIBILITY FOR THE BOMBING."
    )
    coded = code_article(Article(id="t", text=text, published="1990-09-12"), resources)
    orgs = [o.upper() for o in extract_roles(coded, resources=resources)["perp_organization"]]
    assert "TUPAC AMARU REVOLUTIONARY MOVEMENT" in orgs


def test_people_who_died_or_were_hurt_are_victims_and_dead_rebels_are_not_perpetrators(resources):
    from eventcoder.extract.roles import default_roles, victim_names

    text = (
        "MEDELLIN, 2 OCT 89 -- GUNMEN FIRED ON A POLICE POST. PATROLMEN GUSTAVO ADOLFO RENGIFO, 24, AND "
        "OVIDIO MARULANDA TOBON, 31, DIED AT THE SCENE. A PASSERBY, LUZ MARINA OSPINA, WAS TAKEN TO A "
        "HOSPITAL WITH BULLET WOUNDS."
    )
    names = victim_names(text, default_roles(), resources.english, resources.gazetteer)
    assert {"GUSTAVO ADOLFO RENGIFO", "OVIDIO MARULANDA TOBON", "LUZ MARINA OSPINA"} <= set(names)
    roles = _roles(
        resources,
        "AYACUCHO, 5 OCT 89 -- ARMY TROOPS CLASHED WITH A SHINING PATH COLUMN NEAR HUANTA TODAY. ELEVEN "
        "SUBVERSIVES WERE KILLED IN THE FIGHTING, AN ARMY COMMUNIQUE SAID.",
    )
    assert not [p for p in roles["perp_individual"] if "SUBVERSIVES" in p.upper()]


def test_a_group_named_for_the_attack_leaves_the_describing_word_out(resources):
    roles = _roles(
        resources,
        "LIMA, 4 MAR 90 -- A POWER PYLON WAS DESTROYED WITH DYNAMITE IN HUANCAYO TODAY IN A TERRORIST "
        "ATTACK. THE SHINING PATH CLAIMED RESPONSIBILITY FOR THE ATTACK.",
    )
    assert [o.upper() for o in roles["perp_organization"]] == ["SHINING PATH"]
    assert roles["perp_individual"] == []


def test_air_force_strikes_on_guerrilla_columns_are_combat_without_roles(resources):
    combat = _roles(
        resources,
        "SAN SALVADOR, 1 MAR 90 -- AIR FORCE PLANES TODAY FIRED ROCKETS AT GUERRILLA POSITIONS ON THE "
        "SLOPES OF THE GUAZAPA VOLCANO, THE ARMED FORCES PRESS COMMITTEE SAID.",
    )
    assert not any(combat.values())
    civilians = _roles(
        resources,
        "SAN SALVADOR, 1 MAR 90 -- AIR FORCE PLANES TODAY BOMBED THE HOMES OF PEASANTS IN THE VILLAGE "
        "OF EL PAISNAL WITH ROCKETS, KILLING FOUR CIVILIANS, RESIDENTS SAID.",
    )
    assert [w.upper() for w in civilians["weapon"]] == ["ROCKETS"]


def test_buses_set_on_fire_by_terrorists_are_physical_targets(resources):
    roles = _roles(
        resources,
        "LIMA, 1 MAR 90 -- TERRORISTS TODAY SET FIRE TO THREE BUSES OF THE MUNICIPAL TRANSPORT COMPANY IN "
        "THE VITARTE DISTRICT OF LIMA.",
    )
    assert [p.upper() for p in roles["perp_individual"]] == ["TERRORISTS"]
    assert [t.upper() for t in roles["phys_tgt"]] == ["BUSES"]


def test_a_name_followed_by_a_place_word_names_a_place_not_a_victim(resources):
    from eventcoder.extract.roles import default_roles, victim_names

    text = (
        "MEDELLIN, 2 MAR 90 -- TWO PEASANTS WERE KILLED IN TRES PALMITAS HAMLET AND TEACHER ROSA ELVIRA "
        "QUINTERO WAS KILLED NEAR THE JUAN PABLO II BOULEVARD."
    )
    assert victim_names(text, default_roles(), resources.english, resources.gazetteer) == ["ROSA ELVIRA QUINTERO"]


def test_the_victim_of_an_old_murder_recalled_in_the_report_is_not_a_target(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- GUNMEN TODAY MURDERED UNION LEADER TOMAS ARTURO BENITEZ IN SOYAPANGO. "
        "THE UNION COMPARED THE CRIME WITH THE 1980 ASSASSINATION OF ARCHBISHOP ANSELMO QUIROZ MEJIA.",
    )
    assert [n.upper() for n in roles["hum_tgt"]] == ["TOMAS ARTURO BENITEZ"]


def test_a_place_of_work_or_study_that_names_a_person_is_not_a_physical_target(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- HEAVILY ARMED MEN TODAY KIDNAPPED UNIVERSITY STUDENT RAMON ELIAS FUENTES "
        "AND THE DIRECTOR OF THE LINCOLN SCHOOL, AND THEN ATTACKED THE OFFICES OF THE LABOR FEDERATION "
        "WITH GRENADES.",
    )
    targets = [t.upper() for t in roles["phys_tgt"]]
    assert "OFFICES OF THE LABOR FEDERATION" in targets
    assert not any("UNIVERSITY" in t or "SCHOOL" in t for t in targets)


def test_an_earlier_incident_recalled_in_a_dated_sentence_gives_no_targets(resources):
    from eventcoder.coder import code_article
    from eventcoder.extract.roles import extract_roles
    from eventcoder.records import Article

    text = (
        "LIMA, 2 MAR 90 -- A CAR BOMB EXPLODED TODAY OUTSIDE THE SOVIET EMBASSY, POLICE SAID. THE SHINING "
        "PATH HAS ATTACKED SOVIET INTERESTS BEFORE: IN JULY 1989 THE SHINING PATH BOMBED A BUS CARRYING "
        "SOVIET SAILORS IN CALLAO."
    )
    # no publication date: the report's year is its dateline's
    roles = extract_roles(code_article(Article(id="t", text=text), resources), resources=resources)
    assert [t.upper() for t in roles["phys_tgt"]] == ["SOVIET EMBASSY"]


def test_a_denied_attack_and_what_a_bomb_would_have_destroyed_are_not_targets(resources):
    roles = _roles(
        resources,
        "GUATEMALA CITY, 2 MAR 90 -- GUERRILLAS TODAY DYNAMITED A POWER PYLON NEAR ESCUINTLA, POLICE SAID. "
        "THE ARMY DENIED THAT THE REBELS ALSO ATTACKED THE SANTA ROSA COFFEE FARM. EXPERTS SAID A SECOND "
        "BOMB WOULD HAVE DESTROYED THE BOTTLING PLANT HAD IT EXPLODED.",
    )
    assert [t.upper() for t in roles["phys_tgt"]] == ["POWER PYLON"]


def test_a_soldier_wounded_in_combat_is_not_the_victim_of_an_attack(resources):
    roles = _roles(
        resources,
        "BOGOTA, 2 MAR 90 -- GUNMEN TODAY MURDERED JUDGE CARMEN ELISA ROJAS IN CALI. IN ANTIOQUIA, TROOPS "
        "CLASHED WITH FARC GUERRILLAS; SOLDIER PEDRO NEL CASTANO, WHO WAS WOUNDED IN COMBAT, WAS TAKEN TO A "
        "MILITARY HOSPITAL.",
    )
    assert [n.upper() for n in roles["hum_tgt"]] == ["CARMEN ELISA ROJAS"]


def test_sentences_whose_own_words_report_an_attack_are_searched_besides_the_coded_events(resources):
    from eventcoder.extract.roles import _attack_sentences

    text = (
        "THE TALKS WILL RESUME IN CARACAS. GUERRILLAS DYNAMITED TWO POWER PYLONS NEAR USULUTAN. "
        "AIR FORCE PLANES BOMBED REBEL POSITIONS ON GUAZAPA. THE REBELS PLAN TO BLOW UP MORE PYLONS."
    )
    found = [" ".join(text[a:b].split()) for a, b, _, _ in _attack_sentences(text, [], resources.lexicon)]
    assert found == ["GUERRILLAS DYNAMITED TWO POWER PYLONS NEAR USULUTAN."]
    # a sentence already among the coded events' is not given twice
    start = text.index("GUERRILLAS")
    known = [(start, start + 52, [start], [start + 20])]
    assert _attack_sentences(text, known, resources.lexicon) == []


def test_perpetrators_after_by_keep_their_count_and_a_generic_actor_is_not_an_organisation(resources):
    roles = _roles(
        resources,
        "San Salvador, 2 March 1990 -- A judge was shot dead today in Santa Ana by two unidentified gunmen, "
        "and a bus was burned by rebels in Soyapango.",
    )
    assert "two unidentified gunmen" in roles["perp_individual"]
    assert roles["perp_organization"] == []


def test_perpetrator_words_that_are_the_object_of_another_word_are_not_the_doers(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- URBAN COMMANDOS DYNAMITED THE OFFICES OF THE AGRICULTURAL BANK IN SANTA "
        "TECLA TODAY. A WATCHMAN WHO ARGUED WITH THE REBELS AT THE GATE DIED WHEN THE COMMANDOS DYNAMITED "
        "THE BUILDING.",
    )
    assert [p.upper() for p in roles["perp_individual"]] == ["URBAN COMMANDOS"]


def test_military_targets_are_combat_not_physical_targets(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- URBAN GUERRILLAS TODAY DYNAMITED THE HEADQUARTERS OF THE 1ST INFANTRY "
        "BRIGADE, A CIVIL DEFENSE POST AND THE OFFICES OF THE AGRICULTURAL BANK IN SAN SALVADOR.",
    )
    assert [t.upper() for t in roles["phys_tgt"]] == ["OFFICES OF THE AGRICULTURAL BANK"]


def test_a_clash_the_army_fought_is_combat_without_roles(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- TROOPS OF THE ATLACATL BATTALION TODAY CLASHED NEAR SUCHITOTO WITH A "
        "GUERRILLA COLUMN THAT FIRED MORTARS AND ROCKETS AT THEM, THE ARMED FORCES PRESS COMMITTEE REPORTED.",
    )
    assert not any(roles.values())


def test_an_inventory_of_counted_weapons_names_no_weapon_used(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- URBAN COMMANDOS TODAY DYNAMITED A POWER PYLON IN SOYAPANGO WITH A CAR BOMB. "
        "THE ARMY SAID THAT IN THE CAMPAIGN THE REBELS LOST 25 ANTIAIRCRAFT MISSILES, 40 MORTARS AND 300 "
        "GRENADES, AND THAT TROOPS ATTACKED THE REBEL CAMPS.",
    )
    assert [w.upper() for w in roles["weapon"]] == ["CAR BOMB"]


def test_a_bare_building_or_car_beside_a_named_target_is_not_one_more(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- A CAR BOMB EXPLODED TODAY OUTSIDE THE OFFICES OF THE NATIONAL UNION "
        "FEDERATION, DESTROYING THE BUILDING AND TWO CARS PARKED NEARBY.",
    )
    assert [t.upper() for t in roles["phys_tgt"]] == ["OFFICES OF THE NATIONAL UNION FEDERATION"]


def test_bare_rebels_beside_more_specific_perpetrators_are_not_one_more(resources):
    roles = _roles(
        resources,
        "SAN SALVADOR, 2 MAR 90 -- THREE HEAVILY ARMED MEN TODAY KIDNAPPED BUSINESSMAN JORGE ALBERTO "
        "MENJIVAR IN SANTA TECLA. POLICE SAID THE REBELS FLED WITH MENJIVAR IN A PICKUP TRUCK AFTER "
        "THE REBELS SHOT HIS BODYGUARD.",
    )
    assert [p.upper() for p in roles["perp_individual"]] == ["THREE HEAVILY ARMED MEN"]


def test_upper_case_english_words_after_a_title_are_not_a_name(resources):
    roles = _roles(
        resources,
        "GUATEMALA CITY, 2 MAR 90 -- THE GOVERNMENT CONDEMNED THE MURDER OF SECOND SECRETARY OF THE MEXICAN "
        "EMBASSY. GUNMEN KILLED HIM TODAY. IN LIMA, TERRORISTS KILLED A LARGE NUMBER OF PEASANTS.",
    )
    assert roles["hum_tgt"] == []


def test_a_hostage_named_as_released_is_a_human_target(resources):
    roles = _roles(
        resources,
        "MEDELLIN, 2 MAR 90 -- THE EXTRADITABLES, WHO KIDNAPPED SEVERAL RELATIVES OF OFFICIALS IN JANUARY, "
        "TODAY RELEASED JOURNALIST ALVARO ENRIQUE POSADA IN ENVIGADO, POLICE SAID.",
    )
    assert "ALVARO ENRIQUE POSADA" in [n.upper() for n in roles["hum_tgt"]]


def test_a_name_run_followed_by_a_two_word_organisation_head_is_an_organisation(resources):
    from eventcoder.extract.roles import default_roles, name_runs

    text = "LA PAZ, 2 MAR 90 -- A COMMUNIQUE OF THE HUAYNA CHOQUE ARMED FORCES CLAIMED THE MURDER OF ANDRES QUISPE."
    runs = [text[a:b] for a, b in name_runs(text, default_roles(), resources.english, resources.gazetteer)]
    assert "HUAYNA CHOQUE" not in runs
    assert "ANDRES QUISPE" in runs


def test_a_victim_named_before_an_apposition_of_the_role_is_found(resources):
    from eventcoder.extract.roles import default_roles, victim_names

    text = (
        "SAN SALVADOR, 2 MAR 90 -- THE NEW RECTOR REPLACED FATHER ANSELMO RUIZ OQUELI -- ONE OF THOSE "
        "MASSACRED -- AT THE HEAD OF THE UNIVERSITY."
    )
    assert victim_names(text, default_roles(), resources.english, resources.gazetteer) == ["ANSELMO RUIZ OQUELI"]
