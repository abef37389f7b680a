"""Pre-filled requests: form definitions, the PDF, erasure and retention (issue 5).

``forms`` reads the requests' sections and documents from ``requests.yml``; ``pdf`` renders a
dossier; ``erasure`` deletes everything about a resident; ``retention`` purges the inactive.
The dossiers themselves are stored by ``bot.store.dossiers``.
"""
