"""Appointments with a person (public writer, France services, CCAS), their reminders, and the
follow-up of produced dossiers against non-take-up. See docs/console.md."""
