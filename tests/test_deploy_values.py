"""deploy/values.yaml, the course's Zero to JupyterHub values, checked with the real tools' own definitions.

No Helm or Kubernetes runs here, so two checks stand in for `helm install`:

- the values merged over the chart's defaults (deploy/z2jh/values.yaml, copied unchanged) validate against the
  chart's own schema (deploy/z2jh/values.schema.yaml) with jsonschema, as Helm validates them;
- the schema leaves hub.config, hub.extraConfig and hub.services open, so every option set there (hub.config,
  and the options the Python in hub.extraConfig sets, executed against a traitlets Config) must be a
  configurable trait of JupyterHub's, KubeSpawner's or oauthenticator's own classes, and every key of a service
  one JupyterHub's Service takes. A misspelt option would otherwise be ignored with a warning in the hub's log.
A planted unknown option or a value of the wrong type makes each check fail.
"""
from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml
from traitlets import HasTraits
from traitlets.config import Config, Configurable

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SECRET_ENV = {"FMSE_ENTRA_STAFF_GROUP": "0f0e0d0c-0000-4000-8000-000000000001", "FMSE_HUB_ADMINS": "a@hwb, b@hwb"}


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def helm_merge(defaults, override):
    """Helm's merge of a values file over the chart's defaults: maps merge key by key, anything else (lists
    included) replaces, and a null in the values file removes the key."""
    if not (isinstance(defaults, dict) and isinstance(override, dict)):
        return copy.deepcopy(override)
    merged = copy.deepcopy(defaults)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def schema_errors(values: dict) -> list[str]:
    schema = load(DEPLOY / "z2jh" / "values.schema.yaml")
    validator = jsonschema.validators.validator_for(schema)(schema)
    merged = helm_merge(load(DEPLOY / "z2jh" / "values.yaml"), values)
    return [f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator.iter_errors(merged)]


def configurable_classes() -> dict[str, type[Configurable]]:
    """Every class whose options a hub on Zero to JupyterHub reads: the hub application's own classes, the
    chart's spawner and the course's authenticator, with the classes they inherit from."""
    from jupyterhub.app import JupyterHub
    from kubespawner import KubeSpawner
    from oauthenticator.azuread import AzureAdOAuthenticator
    from oauthenticator.generic import GenericOAuthenticator

    found: dict[str, type[Configurable]] = {}
    hub_classes = JupyterHub.class_traits()["classes"].default()  # the classes `jupyterhub --help-all` lists
    for cls in [JupyterHub, *hub_classes, KubeSpawner, AzureAdOAuthenticator, GenericOAuthenticator]:
        for parent in cls.mro():
            if isinstance(parent, type) and issubclass(parent, Configurable):
                found.setdefault(parent.__name__, parent)
    return found


def hub_config(values: dict) -> Config:
    """hub.config, then each hub.extraConfig snippet run as the chart's jupyterhub_config.py runs it (with `c`)."""
    config = Config(copy.deepcopy(values["hub"].get("config", {})))
    for name, source in sorted(values["hub"].get("extraConfig", {}).items()):
        exec(compile(source, f"hub.extraConfig.{name}", "exec"), {"c": config})
    return config


def unknown_options(config: Config) -> list[str]:
    classes = configurable_classes()
    problems = []
    for section, options in config.items():
        cls = classes.get(section)
        if cls is None:
            problems.append(f"{section}: no such configurable class")
            continue
        traits = cls.class_traits(config=True)
        for option, value in options.items():
            if option not in traits:
                problems.append(f"{section}.{option}: {cls.__module__}.{cls.__name__} has no such option")
                continue
            try:
                traits[option].validate(HasTraits(), value)  # the value's type, as the hub checks it
            except Exception as exc:  # noqa: BLE001 - any refusal of the value is the finding
                problems.append(f"{section}.{option} = {value!r}: {exc}")
    return problems


def unknown_service_keys(values: dict) -> list[str]:
    from jupyterhub.services.service import Service

    known = set(Service.class_traits()) | {"apiToken"}  # the chart takes apiToken as a spelling of api_token
    return [f"hub.services.{name}.{key}" for name, service in values["hub"].get("services", {}).items()
            for key in service if key not in known]


@pytest.fixture
def values():
    return load(DEPLOY / "values.yaml")


@pytest.fixture
def secrets_in_env(monkeypatch):
    for key, value in SECRET_ENV.items():
        monkeypatch.setenv(key, value)


def test_the_chart_files_are_vendored_unchanged_with_their_licence():
    reference = ROOT.parent / "shared" / "reference" / "z2jh"
    for name in ("values.schema.yaml", "values.yaml", "LICENSE"):
        assert (DEPLOY / "z2jh" / name).is_file(), name
        if reference.is_dir():  # the shared copy is beside the checkout here; a clone elsewhere has only ours
            assert (DEPLOY / "z2jh" / name).read_bytes() == (reference / name).read_bytes(), name
    assert "BSD 3-Clause License" in (DEPLOY / "z2jh" / "LICENSE").read_text(encoding="utf-8")


def test_the_values_validate_against_the_charts_schema(values):
    assert schema_errors(values) == []


def test_the_schema_check_refuses_a_wrong_value_and_an_unknown_key(values):
    planted = copy.deepcopy(values)
    planted["singleuser"]["memory"]["limit"] = ["1G"]  # a list where the chart takes a quantity
    planted["cull"]["timout"] = 3600  # misspelt: the chart's schema allows no other keys under cull
    errors = schema_errors(planted)
    assert any(e.startswith("singleuser.memory.limit:") for e in errors), errors
    assert any(e.startswith("cull:") and "timout" in e for e in errors), errors


def test_every_hub_option_is_one_jupyterhub_kubespawner_or_oauthenticator_knows(values, secrets_in_env):
    config = hub_config(values)
    assert config.AzureAdOAuthenticator.allowed_groups == {SECRET_ENV["FMSE_ENTRA_STAFF_GROUP"]}  # extraConfig ran
    assert config.Authenticator.admin_users == {"a@hwb", "b@hwb"}
    assert unknown_options(config) == []
    assert unknown_service_keys(values) == []


def test_an_unknown_option_fails_the_check(values, secrets_in_env):
    planted = copy.deepcopy(values)
    planted["hub"]["config"]["KubeSpawner"]["no_such_option"] = True
    planted["hub"]["config"]["AzureAdOAuthenticator"]["server_token_scopes"] = []  # a KubeSpawner option
    planted["hub"]["config"]["KubeSpawner"]["http_timeout"] = "two minutes"  # a known option, wrong type
    planted["hub"]["extraConfig"]["planted.py"] = "c.AzureAdOAuthenticator.tennant_id = 'x'\n"
    planted["hub"]["services"]["fmse-records"]["adress"] = "http://elsewhere"
    problems = unknown_options(hub_config(planted))
    assert any(p.startswith("KubeSpawner.no_such_option:") for p in problems), problems
    assert any(p.startswith("AzureAdOAuthenticator.server_token_scopes:") for p in problems), problems
    assert any(p.startswith("KubeSpawner.http_timeout = 'two minutes':") for p in problems), problems
    assert any(p.startswith("AzureAdOAuthenticator.tennant_id:") for p in problems), problems
    assert unknown_service_keys(planted) == ["hub.services.fmse-records.adress"]


def test_the_extra_config_needs_its_secret(values, monkeypatch):
    """Without the staff group the hub must not start open to all of Hwb's tenant (learners included)."""
    monkeypatch.delenv("FMSE_ENTRA_STAFF_GROUP", raising=False)
    with pytest.raises(KeyError, match="FMSE_ENTRA_STAFF_GROUP"):
        hub_config(values)


def test_user_servers_get_the_course_and_the_service_never_the_database(values):
    from fmse_widgets.server import LANDING

    single = values["singleuser"]
    assert single["defaultUrl"] == "/" + LANDING
    assert single["extraEnv"]["FMSE_RECORDS_URL"] == "service:fmse-records"
    assert all("postgres" not in str(v) for v in single["extraEnv"].values())
    assert single["networkPolicy"]["egressAllowRules"]["privateIPs"] is False
    assert values["hub"]["db"]["type"] == "postgres"
    assert "@" in values["hub"]["db"]["url"] and ":" not in values["hub"]["db"]["url"].split("@")[0][13:]  # no password
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == {"fmse-dsp", "fmse-la-lead"}


def test_the_records_deployment_holds_the_database_url_and_migrates_first():
    manifests = list(yaml.safe_load_all((DEPLOY / "records-service.yaml").read_text(encoding="utf-8")))
    kinds = {m["kind"]: m for m in manifests}
    assert set(kinds) == {"Deployment", "Service", "NetworkPolicy"}
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    (migrate,) = pod["initContainers"]
    assert "records migrate" in " ".join(migrate["command"])
    (service,) = pod["containers"]
    assert service["command"][:3] == ["fmse-course", "records", "service"]
    env = {e["name"]: e for e in service["env"]}
    assert env["FMSE_RECORDS_URL"]["valueFrom"]["secretKeyRef"]["name"] == "fmse-records-db"
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub", "key": "hub.services.fmse-records.apiToken"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    values = load(DEPLOY / "values.yaml")
    port = kinds["Service"]["spec"]["ports"][0]["port"]
    assert values["hub"]["services"]["fmse-records"]["url"] == f"http://fmse-records:{port}"
    assert values["singleuser"]["extraEnv"]["FMSE_RECORDS_SERVICE_URL"].startswith(f"http://fmse-records:{port}/")
