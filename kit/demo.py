"""The member codes of the demo (the bodies the 2023 deliberation names), shared by the demo
data of the services that need only the codes. The registry's demo holds the members
themselves; `tests/test_demo_consistency.py` keeps every service's demo on the same codes."""

DEMO_MEMBER_CODES = (
    "grand-nancy",
    "art-sur-meurthe",
    "essey-les-nancy",
    "houdemont",
    "jarville-la-malgrange",
    "laxou",
    "ludres",
    "malzeville",
    "maxeville",
    "nancy",
    "pulnoy",
    "saint-max",
    "saulxures-les-nancy",
    "seichamps",
    "vandoeuvre-les-nancy",
    "villers-les-nancy",
    "ccas-nancy",
    "ccas-vandoeuvre-les-nancy",
    "opera-national-de-lorraine",
    "sillon-lorrain",
    "sivu-saint-michel-jericho",
    "syndicat-intercommunautaire-scolaire",
    "dommartemont",
    "fleville-devant-nancy",
    "heillecourt",
    "syndicat-creche-frimousse",
)
