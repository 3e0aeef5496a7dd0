"""Cinq's bundled bilingual (fr-CA / en-CA) demo content: a small Montreal blog
on business networking, with one author, categories, tags and posts."""

#: The locales the demo is written in; French first, the source of every bilingual post.
LOCALES = ("fr-CA", "en-CA")

AUTHOR = {
    "name": "Élise Gagnon-Morin",
    "slug": "elise-gagnon-morin",
    "bio": {
        "fr-CA": "Consultante en développement des affaires établie à Montréal, Élise accompagne "
        "depuis quinze ans les entreprises qui veulent percer au Québec et en Ontario. "
        "Elle anime aussi des soirées de réseautage bilingues.",
        "en-CA": "A Montreal-based business development consultant, Élise has spent fifteen years "
        "helping companies break into the Québec and Ontario markets. She also hosts "
        "bilingual networking evenings.",
    },
}

CATEGORIES = [
    {
        "key": "blog",
        "name": {"fr-CA": "Blogue", "en-CA": "Blog"},
        "slug": {"fr-CA": "blogue", "en-CA": "blog"},
    },
    {
        "key": "guides",
        "name": {"fr-CA": "Guides pratiques", "en-CA": "Practical guides"},
        "slug": {"fr-CA": "guides-pratiques", "en-CA": "practical-guides"},
    },
]

TAGS = [
    {
        "key": "networking",
        "name": {"fr-CA": "Réseautage", "en-CA": "Networking"},
        "slug": {"fr-CA": "reseautage", "en-CA": "networking"},
    },
    {
        "key": "montreal",
        "name": {"fr-CA": "Montréal", "en-CA": "Montreal"},
        "slug": {"fr-CA": "montreal", "en-CA": "montreal"},
    },
    {
        "key": "toronto",
        "name": {"fr-CA": "Toronto", "en-CA": "Toronto"},
        "slug": {"fr-CA": "toronto", "en-CA": "toronto"},
    },
    {
        "key": "languages",
        "name": {"fr-CA": "Langues", "en-CA": "Languages"},
        "slug": {"fr-CA": "langues", "en-CA": "languages"},
    },
    {
        "key": "events",
        "name": {"fr-CA": "Événements", "en-CA": "Events"},
        "slug": {"fr-CA": "evenements", "en-CA": "events"},
    },
    {
        "key": "business",
        "name": {"fr-CA": "Affaires", "en-CA": "Business"},
        "slug": {"fr-CA": "affaires", "en-CA": "business"},
    },
    {
        "key": "travel",
        "name": {"fr-CA": "Voyages d’affaires", "en-CA": "Business travel"},
        "slug": {"fr-CA": "voyages-daffaires", "en-CA": "business-travel"},
    },
    {
        "key": "winter",
        "name": {"fr-CA": "Hiver", "en-CA": "Winter"},
        "slug": {"fr-CA": "hiver", "en-CA": "winter"},
    },
]

POSTS = [
    {  # Blog 1
        "category": "blog",
        "series_number": 1,
        "status": "published",
        "published_at": "2026-01-14T14:00:00+00:00",
        "tags": ["networking", "business"],
        "translations": {
            "fr-CA": {
                "title": "Réseauter au Québec : par où commencer?",
                "slug": "reseauter-au-quebec-par-ou-commencer",
                "excerpt": "Le réseautage québécois a ses propres codes. Quelques repères pour bien démarrer, avant même de réserver son billet.",
                "body": """\
Arriver au Québec avec un projet d’affaires, c’est souvent arriver avec une liste de noms, un agenda serré et l’espoir que tout s’enchaîne. Pourtant, le réseautage québécois obéit à des codes bien à lui, et quelques heures de préparation valent mieux qu’une semaine de rendez-vous improvisés.

Ce blogue est né d’un constat simple : les personnes qui réussissent leur implantation à Montréal ne sont pas forcément celles qui ont le meilleur produit, mais celles qui ont pris le temps de comprendre comment les gens se rencontrent ici.

## Un milieu plus petit qu’on le pense

Le Québec compte environ neuf millions d’habitants, et ses milieux d’affaires sont étonnamment tissés serré. Dans bien des secteurs, tout le monde connaît quelqu’un qui connaît la personne que vous cherchez. C’est une chance : une bonne recommandation ouvre des portes plus vite qu’un courriel bien tourné.

C’est aussi une responsabilité. Une impression mitigée voyage aussi vite qu’une bonne. D’où l’importance de soigner chaque échange, même le plus informel.

## Le tutoiement n’est pas un piège

Beaucoup de visiteurs francophones d’Europe sont surpris par la rapidité avec laquelle on passe au « tu ». Ce n’est ni un manque de respect ni une familiarité déplacée : c’est une façon de signaler que la conversation peut être franche et directe. Suivez le mouvement de votre interlocuteur, sans forcer.

Même chose pour les titres : on se présente par son prénom, on parle de son projet plutôt que de son poste, et on n’hésite pas à demander conseil.

## Trois réflexes pour bien démarrer

- **Écoutez plus que vous ne parlez** : on retient davantage la personne qui pose de bonnes questions que celle qui récite son argumentaire.
- **Sortez des heures de bureau** : les 5 à 7, les conférences en soirée et les ligues sportives sont de vrais lieux d’échange.
- **Préparez votre suivi avant même la rencontre** : un profil [LinkedIn](https://www.linkedin.com/) à jour et une raison concrète de reprendre contact.

Pour repérer les événements du moment, l’agenda de [Tourisme Montréal](https://www.mtl.org/) est un bon point de départ, tout comme les activités de la [Chambre de commerce du Montréal métropolitain](https://www.ccmm.ca/).

Dans les prochains billets, nous explorerons ces pistes une à une, de l’hiver montréalais aux soirées d’échange linguistique. Bienvenue!
""",
                "seo_title": "Réseauter au Québec : le guide pour bien commencer",
                "seo_description": "Tutoiement, 5 à 7, recommandations : les codes du réseautage d’affaires au Québec expliqués aux nouveaux venus.",
            },
            "en-CA": {
                "title": "Networking in Québec: where to start",
                "slug": "networking-in-quebec-where-to-start",
                "excerpt": "Networking in Québec has its own codes. A few pointers to get off on the right foot, before you even book your ticket.",
                "body": """\
Arriving in Québec with a business project usually means arriving with a list of names, a tight schedule and the hope that everything falls into place. Networking here follows its own codes, though, and a few hours of preparation are worth more than a week of improvised meetings.

This blog grew out of a simple observation: the people who succeed in Montreal aren’t necessarily the ones with the best product, but the ones who took the time to understand how people meet here.

## A smaller world than you think

Québec has roughly nine million people, and its business communities are remarkably close-knit. In many industries, everyone knows someone who knows the person you’re looking for. That’s an advantage: a good referral opens doors faster than a polished email.

It’s also a responsibility. A lukewarm impression travels just as fast as a good one, so every exchange counts, even the most casual.

## First names, first

Visitors are often surprised by how quickly conversations turn informal. Francophones switch to *tu* early, and anglophones skip titles altogether. It isn’t a lack of respect: it signals that the conversation can be frank and direct. Follow the other person’s lead without forcing it.

## Three habits to start with

- **Listen more than you talk**: people remember the person who asked good questions, not the one who recited a pitch.
- **Look beyond office hours**: 5 à 7s, evening talks and sports leagues are real meeting places.
- **Plan your follow-up before the meeting**: an up-to-date [LinkedIn](https://www.linkedin.com/) profile and a concrete reason to get back in touch.

To see what’s on, the [Tourisme Montréal](https://www.mtl.org/) calendar is a good place to start, along with the events of the [Board of Trade of Metropolitan Montreal](https://www.ccmm.ca/).

In upcoming posts, we’ll explore each of these paths, from Montreal winters to language-exchange evenings. Welcome!
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Blog 2
        "category": "blog",
        "series_number": 2,
        "status": "published",
        "published_at": "2026-02-04T14:00:00+00:00",
        "tags": ["montreal", "winter", "travel"],
        "translations": {
            "fr-CA": {
                "title": "Montréal en hiver, côté affaires",
                "slug": "montreal-en-hiver-cote-affaires",
                "excerpt": "Un voyage d’affaires à Montréal en février? C’est peut-être la meilleure saison pour réseauter, à condition de bien s’y préparer.",
                "body": """\
Venir à Montréal en février pour affaires? Certains de vos collègues vous trouveront courageux. Pourtant, l’hiver est l’une des meilleures saisons pour réseauter : les agendas sont moins chargés qu’à l’automne, les événements se déroulent à l’intérieur et les gens ont envie de sortir de leur routine.

## S’habiller pour la ville, pas pour l’expédition

Le froid montréalais est sec et parfois mordant, avec des journées sous les -20 °C en janvier. Inutile pourtant de débarquer en tenue d’alpiniste. Un bon manteau long, des bottes imperméables que vous pourrez retirer en arrivant (on se déchausse souvent à l’entrée, même au bureau), une tuque et des gants suffisent pour la plupart des déplacements.

Un conseil : glissez une paire de souliers dans votre sac. Arriver à une rencontre avec des bottes blanchies par le sel n’est pas un drame, mais changer de chaussures fait partie des usages.

## Le réseau souterrain, votre meilleur allié

Le centre-ville est relié par des kilomètres de couloirs intérieurs, le fameux RÉSO, qui connecte stations de métro, tours de bureaux, hôtels et centres commerciaux. Combiné au métro de la [STM](https://www.stm.info/), il permet d’enchaîner trois rendez-vous sans mettre le nez dehors. Gardez tout de même une marge : on s’y perd facilement la première fois.

## Les sorties d’hiver, un terrain de rencontre

L’hiver montréalais a ses rendez-vous incontournables, et ce sont d’excellentes occasions de conversation :

- le festival [Montréal en Lumière](https://www.montrealenlumiere.com/), en février, et sa Nuit blanche;
- les soirées extérieures et les patinoires du Vieux-Port;
- les matchs du Canadien, sujet de discussion universel d’octobre à avril.

Proposer à un contact d’aller patiner ou de prendre un chocolat chaud après une réunion, c’est sortir du cadre formel sans paraître insistant. Et c’est souvent là que la vraie conversation commence.

## Prévoir l’imprévu

Une tempête de neige peut chambouler une journée. Confirmez vos rendez-vous la veille, gardez la possibilité de basculer en visioconférence et consultez [MétéoMédia](https://www.meteomedia.com/) le matin. Les Montréalais ne vous en voudront jamais d’arriver en retard un jour de tempête : ils seront plutôt impressionnés que vous soyez venu.

Le froid passe, les contacts restent.
""",
                "seo_title": None,
                "seo_description": None,
            },
            "en-CA": {
                "title": "Montreal in winter, the business side",
                "slug": "montreal-in-winter-the-business-side",
                "excerpt": "A business trip to Montreal in February? It may be the best season for networking, as long as you come prepared.",
                "body": """\
Travelling to Montreal for business in February? Some colleagues will call you brave. Yet winter is one of the best seasons for networking: calendars are lighter than in the fall, events move indoors, and people are eager to break their routine.

## Dress for the city, not for an expedition

Montreal cold is dry and can bite, with January days below -20 °C. You still don’t need mountaineering gear. A long coat, waterproof boots you can take off when you arrive (people often remove their boots at the door, even at the office), a toque and gloves will cover most trips.

Tip: carry a pair of indoor shoes in your bag. Showing up with salt-stained boots isn’t a disaster, but changing shoes is part of local etiquette.

## The underground city is your friend

Downtown is linked by kilometres of indoor walkways, known as RÉSO, connecting metro stations, office towers, hotels and malls. Combined with the [STM](https://www.stm.info/) metro, it lets you string together three meetings without stepping outside. Leave some margin, though: it’s easy to get lost the first time.

## Winter outings make great icebreakers

Montreal’s winter has its must-see events, and they make excellent conversation starters:

- the [Montréal en Lumière](https://www.montrealenlumiere.com/) festival in February, and its all-night Nuit blanche;
- outdoor evenings and skating rinks in the Old Port;
- Canadiens games, a universal topic from October to April.

Inviting a contact to go skating or grab a hot chocolate after a meeting steps outside the formal setting without seeming pushy. That’s often where the real conversation begins.

## Expect the unexpected

A snowstorm can upend a day. Confirm meetings the night before, keep a video-call option open and check [The Weather Network](https://www.theweathernetwork.com/) in the morning. Montrealers will never hold a storm-day delay against you; they’ll be impressed you came at all.

The cold passes; the contacts stay.
""",
                "seo_title": "Business travel in Montreal in winter",
                "seo_description": "What to wear, how to get around and where to meet people: a practical take on visiting Montreal for business in the cold months.",
            },
        },
    },
    {  # Blog 3
        "category": "blog",
        "series_number": 3,
        "status": "published",
        "published_at": "2026-03-05T14:00:00+00:00",
        "tags": ["languages", "events", "montreal", "networking"],
        "translations": {
            "fr-CA": {
                "title": "Les soirées d’échange linguistique, un réseau insoupçonné",
                "slug": "les-soirees-dechange-linguistique-un-reseau-insoupconne",
                "excerpt": "On y va pour pratiquer une langue, on en ressort avec des contacts. Plongée dans l’un des secrets les mieux gardés du réseautage montréalais.",
                "body": """\
On y va pour pratiquer son espagnol ou peaufiner son anglais. On en ressort avec trois cartes professionnelles, une invitation à souper et une piste pour un contrat. Les soirées d’échange linguistique sont l’un des secrets les mieux gardés du réseautage montréalais.

## Le principe

Le format est simple : un bar ou un café, des dizaines de participants, et de petits drapeaux ou autocollants indiquant les langues que chacun parle ou souhaite pratiquer. On circule de table en table, on change de langue au gré des conversations. Des organisations comme [Mundo Lingo](https://www.mundolingo.org/) animent ce genre de soirées chaque semaine à Montréal et à Toronto, et de nombreux groupes indépendants se trouvent sur [Meetup](https://www.meetup.com/).

L’entrée est généralement gratuite ou presque, l’ambiance décontractée, et personne ne vous demande ce que vous faites dans la vie avant d’avoir échangé quelques phrases.

## Pourquoi ça fonctionne si bien

Parce que la langue sert de prétexte. Dans un événement de réseautage classique, tout le monde sait pourquoi il est là, et les conversations tournent vite à l’argumentaire. Ici, le but déclaré est d’apprendre, ce qui crée une forme d’humilité partagée : on fait des erreurs, on rit, on s’entraide.

Le public est aussi remarquablement diversifié. Nouveaux arrivants, étudiants, travailleurs autonomes, cadres en mutation : Montréal attire des profils venus de partout, et ces soirées en sont le reflet. Pour qui veut comprendre la ville, c’est un échantillon précieux.

## Quelques règles tacites

- On ne distribue pas ses cartes dès la première minute.
- On respecte la langue choisie par son interlocuteur, même si l’on parle mieux la sienne.
- On laisse la place aux autres : une table de quatre n’est pas une réunion privée.

> Le meilleur contact d’affaires que j’ai fait à Montréal, je l’ai rencontré en essayant de commander une bière en portugais.

Cette confidence d’un entrepreneur lyonnais installé dans le Mile End résume bien l’esprit de ces rencontres. Rien n’y est garanti, et c’est précisément ce qui les rend intéressantes.

Alors, quelle langue pratiquerez-vous jeudi soir?
""",
                "seo_title": "Échange linguistique à Montréal : réseauter autrement",
                "seo_description": "Les soirées d’échange linguistique de Montréal et Toronto sont aussi d’excellentes occasions de réseautage. Mode d’emploi et règles tacites.",
            },
            "en-CA": {
                "title": "Language-exchange evenings: an unexpected network",
                "slug": "language-exchange-evenings-an-unexpected-network",
                "excerpt": "You go to practise a language and leave with new contacts. A look at one of the best-kept secrets of Montreal networking.",
                "body": """\
You go to practise your Spanish or polish your French. You leave with three business cards, a dinner invitation and a lead on a contract. Language-exchange evenings are one of the best-kept secrets of Montreal networking.

## How it works

The format is simple: a bar or café, dozens of people, and little flags or stickers showing which languages each person speaks or wants to practise. You move from table to table, switching languages as conversations evolve. Organizations like [Mundo Lingo](https://www.mundolingo.org/) host these evenings every week in Montreal and Toronto, and plenty of independent groups can be found on [Meetup](https://www.meetup.com/).

Entry is usually free or close to it, the mood is relaxed, and nobody asks what you do for a living before you’ve exchanged a few sentences.

## Why it works so well

Because the language is the excuse. At a typical networking event, everyone knows why they’re there, and conversations quickly turn into pitches. Here, the stated goal is learning, which creates a kind of shared humility: people make mistakes, laugh and help each other out.

The crowd is also remarkably diverse: newcomers, students, freelancers, managers on a transfer. Montreal draws people from everywhere, and these evenings reflect it.

## A few unwritten rules

- Don’t hand out business cards in the first minute.
- Respect the language your partner chose, even if yours is stronger.
- Make room for others: a table of four is not a private meeting.

> The best business contact I made in Montreal, I met while trying to order a beer in Portuguese.

That confession from a French entrepreneur now settled in the Mile End sums up the spirit of these gatherings. Nothing is guaranteed, and that’s exactly what makes them worthwhile.

So, which language will you practise on Thursday night?
""",
                "seo_title": "Language exchange in Montreal: networking, differently",
                "seo_description": "Language-exchange evenings in Montreal and Toronto double as great networking. How they work and the unwritten rules.",
            },
        },
    },
    {  # Blog 4 (fr-CA only)
        "category": "blog",
        "series_number": 4,
        "status": "published",
        "published_at": "2026-04-02T14:00:00+00:00",
        "tags": ["events", "montreal", "networking"],
        "translations": {
            "fr-CA": {
                "title": "Le 5 à 7, mode d’emploi",
                "slug": "le-5-a-7-mode-demploi",
                "excerpt": "Institution québécoise par excellence, le 5 à 7 est le terrain de jeu idéal pour élargir son réseau. Voici comment en tirer le meilleur.",
                "body": """\
Au Québec, la journée de travail ne se termine pas vraiment à 17 h. Elle se prolonge souvent autour d’un verre, dans ce rituel que l’on appelle le 5 à 7. Pour qui veut élargir son réseau, c’est probablement l’institution la plus utile de la province.

## Une tradition bien ancrée

Le 5 à 7 prend toutes les formes : verre entre collègues le jeudi, lancement de produit, rencontre organisée par une association professionnelle ou une chambre de commerce. Le principe reste le même : un lieu convivial, une durée limitée et une ambiance où l’on peut aborder n’importe qui sans préambule.

La durée limitée est d’ailleurs un atout. Personne ne s’attend à ce que vous restiez jusqu’à la fermeture, et il est tout à fait acceptable de faire une apparition d’une heure, de parler à quatre ou cinq personnes, puis de repartir.

## Comment s’y prendre

Arrivez plutôt vers 17 h 30 : assez tôt pour que les groupes ne soient pas encore figés, assez tard pour ne pas vous retrouver seul au bar. Prenez un verre, même sans alcool : cela vous donne une contenance et une raison de vous déplacer.

Pour aborder quelqu’un, la question la plus simple reste la meilleure : « Qu’est-ce qui vous amène ici ce soir? » Elle ouvre la conversation sans forcer personne à se vendre.

Quelques repères utiles :

- **Fixez-vous un objectif réaliste** : trois vraies conversations valent mieux que vingt poignées de main.
- **Présentez les gens entre eux** : c’est la façon la plus rapide de devenir un point de repère dans une salle.
- **Notez un détail sur chaque personne** : vous en aurez besoin pour le suivi.

## Où les trouver

Les associations sectorielles, les incubateurs et les regroupements de gens d’affaires publient leurs 5 à 7 sur leurs sites et sur [Eventbrite](https://www.eventbrite.ca/). Les groupes Facebook de quartier et les pages de [Meetup](https://www.meetup.com/) en annoncent aussi beaucoup, souvent gratuits ou à petit prix.

Au printemps, les terrasses rouvrent et les 5 à 7 se déplacent dehors. C’est le meilleur moment de l’année pour vous lancer.

À jeudi, 17 h 30?
""",
                "seo_title": "Le 5 à 7 : réseauter à la québécoise",
                "seo_description": "Quand arriver, comment aborder les gens, où trouver les bons événements : tout pour réussir vos 5 à 7 de réseautage à Montréal.",
            },
        },
    },
    {  # Blog 5
        "category": "blog",
        "series_number": 5,
        "status": "published",
        "published_at": "2026-05-06T14:00:00+00:00",
        "tags": ["languages", "networking", "business"],
        "translations": {
            "fr-CA": {
                "title": "Le small talk, dans une langue comme dans l’autre",
                "slug": "le-small-talk-dans-une-langue-comme-dans-lautre",
                "excerpt": "À Montréal, la jasette se fait en français, en anglais, et souvent dans les deux. Petit guide de la conversation de circonstance bilingue.",
                "body": """\
Dans une ville où l’on passe du français à l’anglais au milieu d’une phrase, la conversation de circonstance demande un peu d’agilité. Le small talk, que l’on appelle volontiers « jasette » au Québec, n’a rien de superficiel : c’est la porte d’entrée de presque toutes les relations d’affaires.

## « Bonjour-Hi » : qu’est-ce qu’on répond?

Entrez dans un commerce du centre-ville et on vous accueillera probablement d’un « Bonjour-Hi! ». La règle implicite est simple : la langue de votre réponse fixe celle de la conversation. Si vous êtes à l’aise en français, répondez en français : c’est apprécié, y compris par les anglophones bilingues.

Dans un contexte professionnel, la même logique s’applique. Commencez dans la langue de votre interlocuteur si vous la connaissez, et n’ayez pas peur de proposer de changer : « On peut continuer en anglais si vous préférez » est une phrase parfaitement normale à Montréal.

## Météo, hockey et… quoi d’autre?

La météo reste le sujet universel, et à Montréal, il y a toujours quelque chose à en dire. Le hockey vient juste après, surtout au printemps quand les séries approchent. Mais d’autres sujets fonctionnent bien :

- les festivals et la vie culturelle de la ville;
- les quartiers, les restaurants, les nouvelles adresses;
- les voyages, un thème inépuisable dans une ville aussi cosmopolite.

À éviter, en revanche, dès les premières minutes : la politique linguistique, la souveraineté et les salaires. Ces sujets ne sont pas tabous, mais ils se discutent mieux entre personnes qui se connaissent.

## L’humour, avec doigté

Les Québécois manient volontiers l’autodérision, et un peu d’humour détend vite l’atmosphère. Prudence toutefois avec les imitations d’accent ou les blagues sur les expressions locales : ce qui passe entre amis peut mal passer entre inconnus. Mieux vaut rire de ses propres erreurs de vocabulaire; vous en ferez, et elles deviendront de bonnes anecdotes.

Pour vous familiariser avec les expressions courantes, l’[Office québécois de la langue française](https://www.oqlf.gouv.qc.ca/) publie des ressources étonnamment utiles, y compris pour les anglophones.

Une bonne jasette, c’est le début d’une bonne relation.
""",
                "seo_title": None,
                "seo_description": None,
            },
            "en-CA": {
                "title": "Small talk, in one language or the other",
                "slug": "small-talk-in-one-language-or-the-other",
                "excerpt": "In Montreal, small talk happens in French, in English, and often in both. A short guide to bilingual chit-chat.",
                "body": """\
In a city where people switch from French to English mid-sentence, small talk takes a bit of agility. Far from superficial, it’s the gateway to nearly every business relationship.

## “Bonjour-Hi”: what do you say back?

Walk into a downtown shop and you’ll likely be greeted with a cheerful “Bonjour-Hi!” The unwritten rule is simple: the language of your answer sets the language of the conversation. If you’re comfortable in French, answer in French; it’s appreciated, including by bilingual anglophones.

The same logic applies in business. Start in the other person’s language if you can, and don’t hesitate to offer to switch: “We can continue in French if you prefer” is a perfectly normal sentence in Montreal.

## Weather, hockey and… what else?

Weather is the universal topic, and in Montreal there’s always something to say about it. Hockey comes a close second, especially in spring as the playoffs approach. A few other subjects work well:

- festivals and the city’s cultural life;
- neighbourhoods, restaurants and new places to try;
- travel, an endless topic in such a cosmopolitan city.

Steer clear, at least at first, of language politics, sovereignty and salaries. They aren’t taboo, but they’re better discussed among people who know each other.

## Humour, handled with care

Quebecers are fond of self-deprecation, and a bit of humour quickly lightens the mood. Be careful with accent imitations or jokes about local expressions, though: what flies among friends can fall flat among strangers. Better to laugh at your own vocabulary slips; you’ll make some, and they’ll become good stories.

For a primer on local expressions, the [Office québécois de la langue française](https://www.oqlf.gouv.qc.ca/) has surprisingly useful resources.

Good small talk is the start of a good relationship.
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Blog 6
        "category": "blog",
        "series_number": 6,
        "status": "published",
        "published_at": "2026-06-03T14:00:00+00:00",
        "tags": ["networking", "business"],
        "translations": {
            "fr-CA": {
                "title": "LinkedIn ou en personne? Les deux, mon capitaine",
                "slug": "linkedin-ou-en-personne-les-deux-mon-capitaine",
                "excerpt": "Faut-il encore se déplacer pour réseauter quand tout le monde est en ligne? Oui, mais pas n’importe comment.",
                "body": """\
La question revient souvent : à l’heure où l’on peut joindre presque n’importe qui en deux clics, faut-il encore se déplacer pour réseauter? La réponse courte : oui. La réponse longue : ça dépend de ce que vous attendez de chaque outil.

## Ce que LinkedIn fait très bien

[LinkedIn](https://www.linkedin.com/) est imbattable pour préparer le terrain. Avant un séjour à Montréal ou à Toronto, il permet de repérer les bonnes personnes, de comprendre leur parcours et de voir quels contacts vous avez en commun. Une demande de connexion accompagnée d’un message personnalisé, qui mentionne votre venue et une raison précise de vous rencontrer, obtient bien plus de réponses qu’une invitation générique.

C’est aussi l’outil idéal pour entretenir une relation à distance : commenter une publication, féliciter quelqu’un pour un nouveau poste, partager un article pertinent.

## Ce qu’il ne remplacera jamais

Une poignée de main, un café qui se prolonge, une conversation qui dévie vers un sujet inattendu : c’est là que se construit la confiance. Au Québec, où les relations d’affaires reposent beaucoup sur le lien personnel, une rencontre en chair et en os pèse souvent plus lourd que des mois d’échanges en ligne.

Les rencontres en personne offrent aussi ce que les algorithmes ne savent pas faire : le hasard. La personne assise à côté de vous à une conférence n’apparaîtra jamais dans vos suggestions de contacts, et c’est peut-être elle qui vous ouvrira la bonne porte.

## La bonne combinaison

La méthode qui fonctionne le mieux combine les deux, dans cet ordre :

1. **Avant** : repérer et contacter en ligne, proposer une rencontre concrète.
2. **Pendant** : privilégier le face-à-face, sans sortir son téléphone pour « se connecter » à tout le monde.
3. **Après** : envoyer une demande de connexion dans les 48 heures, avec un rappel de votre conversation.

> Le numérique ouvre la porte; la rencontre permet de la franchir.

Ne choisissez pas votre camp : utilisez chaque outil pour ce qu’il fait de mieux.
""",
                "seo_title": "LinkedIn ou réseautage en personne : que choisir?",
                "seo_description": "LinkedIn prépare le terrain, la rencontre bâtit la confiance. Comment combiner les deux pour réseauter efficacement au Québec.",
            },
            "en-CA": {
                "title": "LinkedIn or in person? Both, actually",
                "slug": "linkedin-or-in-person-both-actually",
                "excerpt": "Is it still worth travelling to network when everyone is online? Yes, but not just any old way.",
                "body": """\
It’s a common question: when you can reach almost anyone in two clicks, is it still worth travelling to network? The short answer: yes. The long answer: it depends on what you expect from each tool.

## What LinkedIn does well

[LinkedIn](https://www.linkedin.com/) is unbeatable for groundwork. Before a trip to Montreal or Toronto, it helps you spot the right people, understand their background and see which contacts you share. A connection request with a personal note, mentioning your visit and a specific reason to meet, gets far more replies than a generic invitation.

It’s also ideal for keeping a relationship going from afar: commenting on a post, congratulating someone on a new role, sharing a relevant article.

## What it will never replace

A handshake, a coffee that runs long, a conversation that drifts somewhere unexpected: that’s where trust is built. In Québec, where business relationships rely heavily on personal connection, one face-to-face meeting often outweighs months of online exchanges.

In-person events also offer something algorithms can’t: chance. The person sitting next to you at a conference will never show up in your suggested contacts, and they might be the one who opens the right door.

## The right combination

The approach that works best combines both, in this order:

1. **Before**: find people and reach out online, suggesting a concrete meeting.
2. **During**: focus on face-to-face, without pulling out your phone to “connect” with everyone.
3. **After**: send a connection request within 48 hours, with a reminder of your conversation.

> Digital opens the door; meeting in person gets you through it.

Don’t pick sides: use each tool for what it does best.
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Blog 7
        "category": "blog",
        "series_number": 7,
        "status": "published",
        "published_at": "2026-07-08T14:00:00+00:00",
        "tags": ["montreal", "toronto", "business", "travel"],
        "translations": {
            "fr-CA": {
                "title": "Montréal et Toronto : deux villes, deux styles",
                "slug": "montreal-et-toronto-deux-villes-deux-styles",
                "excerpt": "Combiner Montréal et Toronto dans un même voyage d’affaires est une excellente idée, à condition de ne pas les aborder de la même façon.",
                "body": """\
À cinq heures de train l’une de l’autre, Montréal et Toronto forment le principal axe d’affaires du Canada. Beaucoup de visiteurs les combinent dans un même voyage, et c’est une excellente idée, à condition de ne pas aborder les deux villes de la même façon.

## Toronto : efficacité et agenda

Toronto est la capitale financière du pays, et cela se sent. Les rencontres y sont souvent plus courtes, plus structurées, planifiées plusieurs semaines à l’avance. Un café de 30 minutes est un format courant, et il vaut mieux arriver avec un objectif clair. Les événements de réseautage sont nombreux, très spécialisés par secteur, et commencent souvent tôt le matin, autour d’un déjeuner.

L’anglais y est évidemment la langue des affaires, mais la ville est l’une des plus multiculturelles au monde : parler une autre langue, y compris le français, est un atout qu’on remarque. Le site de [Destination Toronto](https://www.destinationtoronto.com/) recense les grands congrès et salons de l’année.

## Montréal : la relation d’abord

À Montréal, le rythme est différent. On prend le temps de se connaître avant de parler chiffres, et une rencontre prévue pour une heure peut se prolonger autour d’un dîner. Les événements se tiennent plus volontiers en fin de journée, et la frontière entre le professionnel et le social y est plus floue.

Ce n’est pas une question d’efficacité moindre, mais de priorités : on veut savoir avec qui l’on travaille avant de savoir sur quoi.

## Organiser un séjour dans les deux villes

Quelques conseils pour tirer le meilleur des deux :

- Le train de [VIA Rail](https://www.viarail.ca/) relie les deux centres-villes et permet de travailler pendant le trajet; c’est souvent plus pratique que l’avion.
- Commencez par Toronto si vous avez besoin de rendez-vous fermes, et gardez plus de souplesse pour Montréal.
- Adaptez votre présentation : plus directe à Toronto, plus personnelle à Montréal.

Les deux villes se regardent parfois avec un brin de rivalité. Évitez de les comparer devant vos hôtes, sauf pour dire du bien de celle où vous êtes.

Deux villes, deux ambiances : une seule valise suffit.
""",
                "seo_title": None,
                "seo_description": None,
            },
            "en-CA": {
                "title": "Montreal and Toronto: two cities, two styles",
                "slug": "montreal-and-toronto-two-cities-two-styles",
                "excerpt": "Combining Montreal and Toronto in one business trip is a great idea, as long as you don’t approach them the same way.",
                "body": """\
Five hours apart by train, Montreal and Toronto form Canada’s main business corridor. Many visitors combine them in a single trip, which is a great idea, as long as you don’t approach both cities the same way.

## Toronto: efficiency and calendars

Toronto is the country’s financial capital, and it shows. Meetings tend to be shorter, more structured and booked weeks in advance. A 30-minute coffee is a common format, and it’s best to arrive with a clear goal. Networking events are plentiful, highly specialized by sector, and often start early over breakfast.

English is the language of business, of course, but the city is one of the most multicultural in the world: speaking another language, including French, is an asset people notice. [Destination Toronto](https://www.destinationtoronto.com/) lists the year’s major conventions and trade shows.

## Montreal: relationship first

Montreal moves at a different pace. People take time to get to know each other before talking numbers, and a one-hour meeting can easily stretch into lunch. Events lean toward the end of the day, and the line between professional and social is blurrier.

It isn’t about being less efficient; it’s about priorities. People want to know who they’re working with before deciding what to work on.

## Planning a trip to both

A few tips to get the most from each:

- [VIA Rail](https://www.viarail.ca/) trains link both downtowns and let you work on the way; often more convenient than flying.
- Start with Toronto if you need firm appointments, and leave more flexibility for Montreal.
- Adapt your pitch: more direct in Toronto, more personal in Montreal.

The two cities sometimes eye each other with a hint of rivalry. Avoid comparing them in front of your hosts, unless it’s to praise the one you’re in.

Two cities, two moods: one suitcase is enough.
""",
                "seo_title": "Doing business in Montreal and Toronto",
                "seo_description": "Meeting styles, pace and etiquette differ between Canada’s two business hubs. How to plan a trip that makes the most of both.",
            },
        },
    },
    {  # Blog 8
        "category": "blog",
        "series_number": 8,
        "status": "published",
        "published_at": "2026-08-12T14:00:00+00:00",
        "tags": ["networking", "travel", "montreal", "events"],
        "translations": {
            "fr-CA": {
                "title": "Les rencontres qu’on n’avait pas prévues",
                "slug": "les-rencontres-quon-navait-pas-prevues",
                "excerpt": "À force de tout planifier, on oublie de laisser de la place au hasard. Or, c’est souvent là que se cachent les meilleures occasions.",
                "body": """\
On planifie un voyage d’affaires comme on remplit un tableur : une case par rendez-vous, un rendez-vous par objectif. C’est rassurant, et c’est souvent nécessaire. Mais à force de tout prévoir, on laisse peu de place à ce qui fait la valeur d’un déplacement : les rencontres que personne n’avait inscrites à l’agenda.

## Laisser des trous dans l’agenda

Un agenda rempli à 100 % est un agenda fragile. Au moindre retard, tout s’effondre, et il ne reste aucun espace pour accepter une invitation de dernière minute. Visez plutôt les deux tiers : des rendez-vous fermes le matin, et des après-midi ou des soirées volontairement ouverts.

Ces moments libres ne sont pas du temps perdu. C’est là qu’un contact vous proposera de vous joindre à un dîner, qu’une conférence débouchera sur une discussion de couloir, qu’un voisin de table vous parlera d’un projet qui recoupe le vôtre.

## Dire oui plus souvent

Au Québec, les invitations informelles sont fréquentes et sincères. « Viens donc faire un tour! » n’est pas une formule de politesse : c’est une vraie proposition. Une partie de hockey cosom, un vernissage, une soirée de lancement chez l’ami d’un ami : autant d’occasions de voir un milieu de l’intérieur.

Il ne s’agit pas de tout accepter, bien sûr. Mais en voyage, une bonne règle consiste à dire oui à au moins une invitation imprévue par jour.

## Le hasard, ça se prépare

Paradoxalement, les bonnes surprises se provoquent. Quelques habitudes aident :

- **Décrivez votre projet simplement**, en une phrase, pour que les gens pensent à vous quand l’occasion se présente.
- **Fréquentez les lieux partagés** : espaces de travail collaboratif, cafés de quartier, bibliothèques.
- **Suivez l’actualité locale** sur des sites comme [Tourisme Montréal](https://www.mtl.org/) ou dans les groupes [Meetup](https://www.meetup.com/) liés à votre domaine.

Les rencontres les plus marquantes d’un séjour sont rarement celles qu’on avait préparées. Ce sont celles qu’on a laissées arriver.

Les occasions sont partout : encore faut-il leur faire une place.
""",
                "seo_title": "Voyage d’affaires : laisser place aux rencontres imprévues",
                "seo_description": "Pourquoi un agenda trop rempli nuit au réseautage, et comment provoquer les rencontres imprévues lors d’un séjour à Montréal.",
            },
            "en-CA": {
                "title": "The meetings you didn’t plan",
                "slug": "the-meetings-you-didnt-plan",
                "excerpt": "Plan everything and you leave no room for chance. Yet that’s often where the best opportunities hide.",
                "body": """\
We plan business trips the way we fill in a spreadsheet: one cell per meeting, one meeting per objective. It’s reassuring, and often necessary. But by planning everything, we leave little room for what makes a trip worthwhile: the meetings nobody put in the calendar.

## Leave gaps in your schedule

A schedule booked at 100% is a fragile one. The slightest delay knocks everything over, and there’s no room left for a last-minute invitation. Aim for two thirds instead: firm meetings in the morning, and afternoons or evenings left deliberately open.

That free time isn’t wasted. It’s when a contact invites you to join a lunch, when a talk leads to a hallway conversation, when the person at the next table mentions a project that overlaps with yours.

## Say yes more often

In Québec, casual invitations are frequent and sincere. “Come by sometime!” isn’t just politeness; it’s a real offer. A game of ball hockey, a gallery opening, a launch party at a friend of a friend’s: all chances to see a community from the inside.

You don’t have to accept everything, of course. But when travelling, a good rule is to say yes to at least one unexpected invitation a day.

## Serendipity takes preparation

Oddly enough, good surprises can be encouraged. A few habits help:

- **Describe your project simply**, in one sentence, so people think of you when an opportunity comes up.
- **Spend time in shared spaces**: coworking spaces, neighbourhood cafés, libraries.
- **Follow local news** on sites like [Tourisme Montréal](https://www.mtl.org/) or in [Meetup](https://www.meetup.com/) groups related to your field.

The most memorable meetings of a trip are rarely the ones you prepared. They’re the ones you let happen.

Opportunities are everywhere; you just have to make room for them.
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Blog 9 (fr-CA only)
        "category": "blog",
        "series_number": 9,
        "status": "published",
        "published_at": "2026-09-09T14:00:00+00:00",
        "tags": ["toronto", "networking", "events", "languages"],
        "translations": {
            "fr-CA": {
                "title": "Réseauter à Toronto quand on vient de Montréal",
                "slug": "reseauter-a-toronto-quand-on-vient-de-montreal",
                "excerpt": "La Ville Reine accueille volontiers les gens d’affaires du Québec. Encore faut-il ajuster quelques réflexes.",
                "body": """\
Vous avez apprivoisé les 5 à 7 montréalais, et voilà qu’un client vous attend à Toronto. Bonne nouvelle : la Ville Reine est l’un des marchés les plus dynamiques du continent, et elle accueille volontiers les gens d’affaires venus du Québec. Encore faut-il ajuster quelques réflexes.

## Une scène riche et très segmentée

Toronto compte des centaines de groupes professionnels actifs. Technologies, finance, design, santé, immobilier : chaque secteur a ses rencontres mensuelles, ses conférences et ses communautés en ligne. Sur [Meetup](https://www.meetup.com/), une simple recherche par mot-clé fait apparaître des dizaines d’événements pour la seule semaine en cours.

Cette abondance impose de choisir. Plutôt que de courir trois événements par soir, ciblez ceux qui rassemblent vraiment votre clientèle, et inscrivez-vous à l’avance : beaucoup de rencontres torontoises affichent complet.

## Le français, un atout inattendu

On l’oublie souvent, mais l’Ontario compte une importante communauté francophone, et Toronto abrite plusieurs organismes qui la fédèrent. Les rencontres d’affaires francophones y sont plus petites, mais aussi plus chaleureuses, et les participants sont souvent ravis d’accueillir quelqu’un de Montréal.

Dans les événements anglophones, votre bilinguisme reste un avantage. De nombreuses entreprises torontoises cherchent à percer au Québec et apprécient un interlocuteur qui connaît les deux marchés.

## Adapter son approche

Quelques différences à garder en tête :

- **La ponctualité** : les rencontres commencent et finissent à l’heure. Dix minutes de retard passent moins bien qu’à Montréal.
- **La présentation** : on s’attend à ce que vous disiez rapidement ce que vous faites et ce que vous cherchez.
- **Le déjeuner d’affaires** : très courant. Préparez-vous à réseauter dès 7 h 30.

Pour les grands rendez-vous de l’année, consultez aussi le calendrier de [Destination Toronto](https://www.destinationtoronto.com/).

Toronto ne se laisse pas apprivoiser en une seule visite. Mais à chaque voyage, le réseau s’épaissit, et les allers-retours sur l’axe Montréal–Toronto deviennent un véritable avantage concurrentiel.
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Blog 10
        "category": "blog",
        "series_number": 10,
        "status": "published",
        "published_at": "2026-10-14T14:00:00+00:00",
        "tags": ["networking", "events", "business"],
        "translations": {
            "fr-CA": {
                "title": "Après l’événement : l’art du suivi",
                "slug": "apres-levenement-lart-du-suivi",
                "excerpt": "Un contact qui n’est pas relancé dans la semaine est souvent un contact perdu. Comment faire un suivi qui compte.",
                "body": """\
Vous rentrez d’un événement avec une poche pleine de cartes et la tête pleine de conversations. C’est maintenant que le vrai travail commence. Un contact qui n’est pas relancé dans la semaine est, le plus souvent, un contact perdu.

## La règle des 48 heures

Le souvenir d’une rencontre s’efface vite, chez vous comme chez la personne que vous avez croisée. Dans les 48 heures, envoyez un court message. Pas un argumentaire : un rappel de votre conversation, une phrase sur ce qui vous a intéressé et, si c’est pertinent, une proposition concrète.

Par exemple : « Merci pour notre échange de mardi au 5 à 7 de la Chambre. Je repensais à ce que vous disiez sur votre expansion à Québec; voici l’article dont je vous ai parlé. »

## Apporter quelque chose

Le meilleur suivi est celui qui rend service. Un lien vers un article, le nom d’une personne à rencontrer, une invitation à un autre événement : ces petits gestes montrent que vous avez écouté et que la relation ne se résume pas à ce que vous pouvez en tirer.

C’est particulièrement vrai au Québec, où la réciprocité est au cœur du réseautage. Celui qui donne d’abord finit presque toujours par recevoir.

## Choisir le bon canal

Le courriel reste la valeur sûre pour un premier suivi professionnel. Une demande de connexion sur [LinkedIn](https://www.linkedin.com/), accompagnée d’un message personnalisé, fonctionne bien en complément. Pour les contacts plus informels, rencontrés lors d’une soirée d’échange linguistique par exemple, un texto peut tout à fait convenir.

Quel que soit le canal, une règle ne change pas : **personnalisez**. Un message générique envoyé à vingt personnes se repère immédiatement.

## Entretenir dans la durée

Un suivi n’est pas un geste ponctuel. Notez dans un carnet ou un simple tableur où et quand vous avez rencontré chaque personne, de quoi vous avez parlé et quand reprendre contact. Trois mois plus tard, un message du type « Je serai à Montréal en février, un café? » aura d’autant plus de poids.

Le réseautage, c’est moins une affaire de rencontres que de relations.
""",
                "seo_title": "Le suivi après un événement de réseautage",
                "seo_description": "La règle des 48 heures, le bon canal, le message qui rend service : comment transformer une rencontre en relation d’affaires durable.",
            },
            "en-CA": {
                "title": "After the event: the art of the follow-up",
                "slug": "after-the-event-the-art-of-the-follow-up",
                "excerpt": "A contact you don’t follow up with within a week is often a lost contact. How to follow up in a way that counts.",
                "body": """\
You’re back from an event with a pocket full of business cards and a head full of conversations. Now the real work begins. A contact you don’t follow up with within the week is, more often than not, a lost contact.

## The 48-hour rule

Memories of a meeting fade quickly, for you and for the person you met. Within 48 hours, send a short message. Not a pitch: a reminder of your conversation, a line about what caught your interest and, if relevant, a concrete suggestion.

For example: “Thanks for our chat on Tuesday at the Board of Trade 5 à 7. I was thinking about what you said on expanding to Québec City; here’s the article I mentioned.”

## Bring something to the table

The best follow-up is one that helps. A link to an article, the name of someone worth meeting, an invitation to another event: these small gestures show you listened and that the relationship isn’t only about what you can get out of it.

That’s especially true in Québec, where reciprocity is at the heart of networking. Those who give first almost always end up receiving.

## Pick the right channel

Email remains the safe bet for a first professional follow-up. A [LinkedIn](https://www.linkedin.com/) connection request with a personal note works well alongside it. For more casual contacts, say someone you met at a language-exchange evening, a text message is perfectly fine.

Whatever the channel, one rule holds: **make it personal**. A generic message sent to twenty people is spotted instantly.

## Keep it going

Following up isn’t a one-time thing. Keep a notebook or a simple spreadsheet of where and when you met each person, what you talked about and when to check in again. Three months later, a message like “I’ll be in Montreal in February, coffee?” will carry that much more weight.

Networking is less about meetings than about relationships.
""",
                "seo_title": "How to follow up after a networking event",
                "seo_description": "The 48-hour rule, the right channel and the message that helps: turning a chance meeting into a lasting business relationship.",
            },
        },
    },
    {  # Blog 11 (draft)
        "category": "blog",
        "series_number": 11,
        "status": "draft",
        "published_at": None,
        "tags": ["networking", "montreal", "travel"],
        "translations": {
            "fr-CA": {
                "title": "Garder son réseau vivant entre deux visites",
                "slug": "garder-son-reseau-vivant-entre-deux-visites",
                "excerpt": "Le premier voyage sert à semer, les suivants à récolter. Comment entretenir ses contacts montréalais d’une visite à l’autre.",
                "body": """\
Le premier voyage d’affaires à Montréal sert à semer. Les suivants servent à récolter. Entre les deux, il s’écoule souvent plusieurs mois, et c’est pendant ce temps que se joue la solidité de votre réseau.

## Rester présent sans être envahissant

Il n’est pas nécessaire d’écrire à tout le monde chaque semaine. Une présence régulière et légère suffit : réagir à une nouvelle importante, envoyer un mot pour l’anniversaire d’une entreprise, partager une ressource utile. Sur [LinkedIn](https://www.linkedin.com/), quelques commentaires bien placés rappellent votre existence sans rien demander.

Un bon rythme pour les contacts clés : un échange personnel tous les deux ou trois mois.

## Annoncer sa venue

Quand un nouveau séjour se précise, prévenez vos contacts trois à quatre semaines à l’avance. C’est le délai qui permet de caler un café sans bousculer les agendas, et il laisse à vos interlocuteurs le temps de vous suggérer d’autres rencontres.

Un message simple fait l’affaire : vos dates, la raison de votre venue et une invitation ouverte. Vous serez surpris du nombre de personnes qui répondront en vous présentant quelqu’un.

## Organiser sa propre rencontre

Après deux ou trois visites, vous aurez peut-être assez de contacts pour inverser les rôles. Réserver une table dans un bar du Plateau ou une salle dans un espace de travail partagé, puis inviter une quinzaine de personnes de votre réseau, c’est leur offrir l’occasion de se rencontrer entre elles. Vous devenez alors le trait d’union, et c’est une position enviable.

Pour la logistique, une page sur [Eventbrite](https://www.eventbrite.ca/) ou un simple courriel suffisent. Choisissez un jeudi, vers 17 h 30, et gardez un format court.

> Un réseau, c’est comme un jardin : il pousse mieux quand on y revient souvent.

À la prochaine visite, ce ne sera plus vous qui chercherez des contacts : ce sont eux qui vous attendront.
""",
                "seo_title": None,
                "seo_description": None,
            },
            "en-CA": {
                "title": "Keeping your network alive between visits",
                "slug": "keeping-your-network-alive-between-visits",
                "excerpt": "The first trip is for planting seeds, the next ones for the harvest. How to look after your Montreal contacts from one visit to the next.",
                "body": """\
Your first business trip to Montreal is for planting seeds. The next ones are for the harvest. In between there are often several months, and that’s when the strength of your network is decided.

## Stay present without being pushy

You don’t need to write to everyone every week. A light, regular presence is enough: reacting to big news, sending a note on a company anniversary, sharing a useful resource. On [LinkedIn](https://www.linkedin.com/), a few well-placed comments remind people you exist without asking for anything.

A good rhythm for key contacts: one personal exchange every two or three months.

## Announce your visit

When a new trip takes shape, let your contacts know three to four weeks ahead. That’s enough time to book a coffee without disrupting anyone’s calendar, and it gives people a chance to suggest other meetings.

A simple message does the job: your dates, the reason for your visit and an open invitation. You’ll be surprised how many people reply by introducing you to someone.

## Host your own gathering

After two or three visits, you may have enough contacts to flip the roles. Booking a table in a Plateau bar or a room in a coworking space and inviting fifteen people from your network gives them a chance to meet each other. You become the connector, and that’s an enviable position.

For logistics, an [Eventbrite](https://www.eventbrite.ca/) page or a simple email will do. Pick a Thursday around 5:30 p.m. and keep it short.

> A network is like a garden: it grows best when you keep coming back.

On your next visit, you won’t be the one looking for contacts; they’ll be waiting for you.
""",
                "seo_title": None,
                "seo_description": None,
            },
        },
    },
    {  # Guide 1
        "category": "guides",
        "series_number": 1,
        "status": "published",
        "published_at": "2026-04-22T14:00:00+00:00",
        "tags": ["travel", "montreal", "business", "winter"],
        "translations": {
            "fr-CA": {
                "title": "Préparer un voyage d’affaires à Montréal : la liste essentielle",
                "slug": "preparer-un-voyage-daffaires-a-montreal-la-liste-essentielle",
                "excerpt": "Documents, rendez-vous, valise, transport : la liste à cocher avant chaque séjour d’affaires à Montréal.",
                "body": """\
Un voyage d’affaires réussi se prépare bien avant l’embarquement. Voici la liste que nous utilisons nous-mêmes avant chaque séjour à Montréal, à adapter selon la saison et vos objectifs.

## Six semaines avant

- **Vérifiez vos documents de voyage.** Selon votre pays, un passeport valide et une autorisation de voyage électronique peuvent être exigés; tous les détails sont sur le site d’[Immigration Canada](https://www.canada.ca/fr/immigration-refugies-citoyennete.html).
- **Choisissez vos dates en fonction des événements.** Un grand congrès dans votre secteur peut justifier de décaler votre séjour d’une semaine.
- **Dressez la liste de vos contacts cibles**, en distinguant les rendez-vous indispensables des rencontres souhaitables.

## Trois semaines avant

- **Envoyez vos demandes de rencontre**, en proposant deux ou trois plages horaires au choix.
- **Repérez les événements ouverts** : 5 à 7, conférences, soirées d’échange linguistique. L’agenda de [Tourisme Montréal](https://www.mtl.org/) et [Meetup](https://www.meetup.com/) sont de bons points de départ.
- **Réservez votre hébergement** près d’une station de métro, idéalement au centre-ville ou dans le Vieux-Montréal.

## La semaine du départ

- **Confirmez chaque rendez-vous** par un court message.
- **Consultez la météo** et ajustez votre valise : bottes, tuque et gants en hiver; tenue légère en été, sans oublier une veste pour les bureaux climatisés.
- **Préparez votre présentation en une phrase**, en français et en anglais.
- **Téléchargez l’application de la [STM](https://www.stm.info/)** ou prévoyez une carte OPUS pour les transports en commun.

## Sur place

Gardez chaque soir quinze minutes pour noter vos rencontres de la journée : nom, contexte, sujet abordé, suite à donner. Ces notes seront votre meilleur outil au retour, au moment de faire vos suivis.

Laissez aussi de la place à l’imprévu. Les meilleures rencontres d’un séjour figurent rarement sur la liste de départ, et une soirée libre vaut parfois plus qu’un rendez-vous de plus.

Bon voyage, et bonnes rencontres!
""",
                "seo_title": "Voyage d’affaires à Montréal : la liste de préparation",
                "seo_description": "Six semaines, trois semaines, la veille du départ : la liste complète pour préparer un séjour d’affaires réussi à Montréal.",
            },
            "en-CA": {
                "title": "Planning a business trip to Montreal: the essential checklist",
                "slug": "planning-a-business-trip-to-montreal-the-essential-checklist",
                "excerpt": "Documents, meetings, packing, getting around: the checklist to run through before every business trip to Montreal.",
                "body": """\
A successful business trip starts well before boarding. Here’s the checklist we use ourselves before every stay in Montreal; adapt it to the season and your goals.

## Six weeks before

- **Check your travel documents.** Depending on your country, a valid passport and an electronic travel authorization may be required; details are on the [Immigration Canada](https://www.canada.ca/en/immigration-refugees-citizenship.html) website.
- **Choose your dates around events.** A major conference in your industry may be worth shifting your trip by a week.
- **List your target contacts**, separating must-have meetings from nice-to-have ones.

## Three weeks before

- **Send your meeting requests**, offering two or three time slots.
- **Spot open events**: 5 à 7s, talks, language-exchange evenings. The [Tourisme Montréal](https://www.mtl.org/) calendar and [Meetup](https://www.meetup.com/) are good starting points.
- **Book accommodation** near a metro station, ideally downtown or in Old Montreal.

## The week you leave

- **Confirm each meeting** with a short message.
- **Check the forecast** and pack accordingly: boots, toque and gloves in winter; light clothes in summer, plus a jacket for air-conditioned offices.
- **Prepare a one-sentence introduction** in both French and English.
- **Download the [STM](https://www.stm.info/) app** or plan to get an OPUS card for public transit.

## On the ground

Set aside fifteen minutes each evening to jot down the day’s meetings: name, context, topic, next step. Those notes will be your best tool when it’s time to follow up.

Leave room for the unexpected, too. The best meetings of a trip are rarely on the original list.

Safe travels, and happy networking!
""",
                "seo_title": "Montreal business trip checklist",
                "seo_description": "Six weeks out, three weeks out, the week you leave: a complete checklist for a successful business trip to Montreal.",
            },
        },
    },
    {  # Guide 2 (fr-CA only)
        "category": "guides",
        "series_number": 2,
        "status": "published",
        "published_at": "2026-08-26T14:00:00+00:00",
        "tags": ["events", "montreal", "toronto", "networking"],
        "translations": {
            "fr-CA": {
                "title": "Où trouver des événements de réseautage à Montréal et à Toronto",
                "slug": "ou-trouver-des-evenements-de-reseautage-a-montreal-et-a-toronto",
                "excerpt": "Plateformes, chambres de commerce, réseaux informels : les sources que nous consultons pour dénicher les bons événements.",
                "body": """\
Chercher des événements de réseautage, c’est un peu comme chercher un restaurant dans une ville qu’on ne connaît pas : l’offre est immense, et tout le défi consiste à trier. Voici les sources que nous consultons le plus souvent, à Montréal comme à Toronto.

## Les plateformes généralistes

- **[Meetup](https://www.meetup.com/)** : incontournable pour les groupes thématiques, des technologies aux langues en passant par l’entrepreneuriat. Filtrez par ville et par date, et regardez le nombre d’inscrits pour juger de la vitalité d’un groupe.
- **[Eventbrite](https://www.eventbrite.ca/)** : idéal pour les conférences, lancements et ateliers, gratuits ou payants.
- **[LinkedIn](https://www.linkedin.com/)** : la section Événements et les publications de vos contacts révèlent souvent des rencontres annoncées nulle part ailleurs.

## Les organisations d’affaires

Les chambres de commerce sont des valeurs sûres. La [Chambre de commerce du Montréal métropolitain](https://www.ccmm.ca/) organise toute l’année des conférences et des activités de réseautage, et son équivalent torontois, le Toronto Region Board of Trade, en fait autant. Les associations sectorielles et les incubateurs d’entreprises publient aussi leurs calendriers en ligne.

Certaines activités sont réservées aux membres, mais beaucoup sont ouvertes au public, parfois à tarif réduit pour une première participation.

## Les réseaux informels

C’est souvent là que se trouvent les perles. Les groupes Facebook de quartier ou de communauté, les soirées d’échange linguistique et les ligues sportives amateurs rassemblent des gens qui ne fréquentent pas forcément les événements officiels. L’ambiance y est détendue, et les conversations plus spontanées.

Pour une vue d’ensemble des grands événements, le site de [Destination Toronto](https://www.destinationtoronto.com/) est utile du côté ontarien; pour Montréal, celui de [Tourisme Montréal](https://www.mtl.org/) joue le même rôle.

## Notre conseil

Choisissez une source de chaque type, abonnez-vous à leurs infolettres et consultez-les une fois par semaine. En un mois, vous aurez une idée très claire de la scène locale, et vous saurez quels événements valent vraiment le déplacement.

Bonnes découvertes!
""",
                "seo_title": "Événements de réseautage à Montréal et Toronto : où chercher",
                "seo_description": "Meetup, Eventbrite, chambres de commerce, groupes informels : nos sources pour trouver les bons événements de réseautage.",
            },
        },
    },
]
