from bihuan.cases.access import visible_cases


def test_world_builds_and_scopes(world):
    assert set(visible_cases(world.people["pros_a"])) == {world.case_a}
    assert set(visible_cases(world.people["city_chief"])) == {
        world.case_a,
        world.case_b,
        world.case_city,
        world.case_other,
    }
