from django.contrib import admin

from cuadra.tenancy.models import Branch, Company, Organization


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "organization", "country", "base_currency", "legal_id",
                    "legal_id_dv")
    inlines = [BranchInline]
