from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Competency, Framework, LevelDescription


@login_required
def framework_list(request):
    frameworks = Framework.objects.current().annotate(competency_count=Count("competencies"))
    return render(request, "competencies/framework_list.html", {"frameworks": frameworks})


@login_required
def framework_detail(request, slug, version):
    framework = get_object_or_404(Framework, slug=slug, version=version)
    competencies = framework.competencies.select_related("theme").prefetch_related(
        Prefetch("levels", queryset=LevelDescription.objects.order_by("level"))
    )
    return render(
        request, "competencies/framework_detail.html", {"framework": framework, "competencies": competencies}
    )


@login_required
def competency_detail(request, slug, version, code):
    competency = get_object_or_404(
        Competency.objects.select_related("framework", "theme"),
        framework__slug=slug,
        framework__version=version,
        code=code,
    )
    related = (
        Competency.objects.filter(theme=competency.theme, framework__successor__isnull=True)
        .exclude(pk=competency.pk)
        .select_related("framework")
    )
    return render(
        request,
        "competencies/competency_detail.html",
        {"competency": competency, "levels": competency.levels.order_by("level"), "related": related},
    )
