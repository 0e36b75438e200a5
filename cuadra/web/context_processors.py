def shell(request):
    return {
        "active_company": getattr(request, "active_company", None),
        "user_companies": getattr(request, "user_companies", []),
    }
