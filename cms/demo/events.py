"""The demo's events: free, casual networking meetups in Montreal and Toronto."""

ORGANIZERS = [
    {
        "key": "reseau",
        "website": "https://reseau-5a7.example",
        "social_links": [
            {"network": "facebook", "url": "https://www.facebook.com/groups/reseau5a7"}
        ],
        "name": {"fr-CA": "Réseau 5 à 7", "en-CA": "5-to-7 Network"},
        "description": {
            "fr-CA": "Des soirées de réseautage gratuites et décontractées, chaque semaine.",
            "en-CA": "Free, casual networking evenings, every week.",
        },
    },
    {
        "key": "langues",
        "website": "https://echange-langues.example",
        "social_links": [],
        "name": {"fr-CA": "Échange de langues", "en-CA": "Language Exchange"},
        "description": {
            "fr-CA": "On pratique le français, l’anglais et le reste, un verre à la main.",
            "en-CA": "Practise French, English and more, drink in hand.",
        },
    },
]

VENUES = [
    {
        "key": "plateau",
        "name": "Café du Plateau",
        "address": "4200, boulevard Saint-Laurent",
        "city": "Montréal",
        "region": "QC",
        "country": "CA",
        "latitude": 45.5186,
        "longitude": -73.5850,
    },
    {
        "key": "king",
        "name": "King Street Commons",
        "address": "300 King Street West",
        "city": "Toronto",
        "region": "ON",
        "country": "CA",
        "latitude": 43.6466,
        "longitude": -79.3890,
    },
]

EVENTS = [
    {
        "organizer": "reseau",
        "venue": "plateau",
        "timezone": "America/Montreal",
        "start_local": "2026-01-07T17:00",
        "end_local": "2026-01-07T19:00",
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
        "cancelled": ["2026-12-23T17:00"],
        "audience": {"minAge": 25, "maxAge": 35},
        "languages": ["fr", "en"],
        "registration_url": "https://reseau-5a7.example/inscription",
        "tags": ["networking", "montreal"],
        "posts": [1, 8],  # series numbers in the blog
        "translations": {
            "fr-CA": {
                "title": "Le 5 à 7 du mercredi",
                "slug": "le-5-a-7-du-mercredi",
                "summary": "Tous les mercredis, on se rencontre sans cartes ni discours.",
                "description": "## Le principe\n\nOn arrive, on se présente, on discute. "
                "Gratuit, sans inscription obligatoire.",
            },
            "en-CA": {
                "title": "Wednesday 5-to-7",
                "slug": "wednesday-5-to-7",
                "summary": "Every Wednesday, meet people with no business cards or speeches.",
                "description": "## How it works\n\nCome in, say hello, talk. "
                "Free, no registration needed.",
            },
        },
    },
    {
        "organizer": "langues",
        "venue": "plateau",
        "timezone": "America/Montreal",
        "start_local": "2026-01-15T18:30",
        "end_local": "2026-01-15T21:00",
        "rrule": "FREQ=MONTHLY;BYDAY=3TH",
        "cancelled": [],
        "audience": {},
        "languages": ["fr", "en", "es"],
        "registration_url": None,
        "tags": ["languages", "montreal"],
        "posts": [3],
        "translations": {
            "fr-CA": {
                "title": "Soirée d’échange linguistique à Montréal",
                "slug": "echange-linguistique-montreal",
                "summary": "Chaque troisième jeudi du mois, une table par langue.",
                "description": "## Comment ça marche\n\nChoisissez une table, changez quand "
                "vous voulez.",
            },
            "en-CA": {
                "title": "Language exchange night in Montreal",
                "slug": "language-exchange-montreal",
                "summary": "Every third Thursday of the month, a table per language.",
                "description": "## How it works\n\nPick a table, switch whenever you like.",
            },
        },
    },
    {
        "organizer": "langues",
        "venue": "king",
        "timezone": "America/Toronto",
        "start_local": "2026-01-20T19:00",
        "end_local": "2026-01-20T21:30",
        "rrule": "FREQ=MONTHLY;BYDAY=3TU",
        "cancelled": [],
        "audience": {},
        "languages": ["en", "fr"],
        "registration_url": None,
        "tags": ["languages", "toronto"],
        "posts": [9],
        "translations": {
            "fr-CA": {
                "title": "Soirée d’échange linguistique à Toronto",
                "slug": "echange-linguistique-toronto",
                "summary": "Chaque troisième mardi du mois, au centre-ville.",
                "description": "## Pour qui\n\nTout le monde, tous les niveaux.",
            },
            "en-CA": {
                "title": "Language exchange night in Toronto",
                "slug": "language-exchange-toronto",
                "summary": "Every third Tuesday of the month, downtown.",
                "description": "## Who\n\nEveryone, every level.",
            },
        },
    },
]
