"""Error reports (the emails Django sends to ADMINS) never carry what a patient typed."""

from django.views.debug import SafeExceptionReporterFilter


class PatientDataSafeFilter(SafeExceptionReporterFilter):
    """Hide every POST value and every local variable in production error reports.

    Django hides only what a view marks as sensitive; on this site every form
    field is. The DEBUG error page (local development) still shows everything.
    """

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
