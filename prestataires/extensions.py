"""What the worker's file shows from the apps above (filled by prestations from its AppConfig.ready())."""

from ale_platform.extensions import Hook

# hour_meters(prestataires, on=date) -> {prestataire pk: HourMeters}
hour_meters = Hook("prestataires.hour_meters")
# upcoming_prestations(prestataire, *, user, limit) -> the worker's planned prestations, scoped to `user`
upcoming_prestations = Hook("prestataires.upcoming_prestations")
# monthly_form_pdf(prestataire, year, month) -> (the ALE 4 form's PDF bytes, its file name)
monthly_form_pdf = Hook("prestataires.monthly_form_pdf")
# work_after_eligibility(*, prestataire) -> [WorkAtRisk]: the worker's planned or unvalidated prestations dated
# after the end of their eligibility, with the reason and the next step
work_after_eligibility = Hook("prestataires.work_after_eligibility")
