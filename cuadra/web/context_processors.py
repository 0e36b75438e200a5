"""What every shell page knows: the active company, the user's companies, the sections."""

from cuadra.web.sections import SECTIONS


def shell(request):
    match = getattr(request, "resolver_match", None)
    return {
        "active_company": getattr(request, "active_company", None),
        "user_companies": getattr(request, "user_companies", []),
        "sections": SECTIONS,
        "current_section": match.url_name if match else "",
    }
