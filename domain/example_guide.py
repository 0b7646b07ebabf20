"""A short example guide (a programme guide's sections) for the demo review and tests."""

from __future__ import annotations

NAME = "Programme guide for KT professionals (example)"

# (code, title, text): paragraphs separated by a blank line.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "G1",
        "Who the programme is for",
        "The programme is for people who move knowledge between universities, research centres "
        "and the organisations that use research: technology transfer officers, liaison staff, "
        "research managers and the business developers who work with them.\n\n"
        "No degree in a particular subject is required. What matters is that you already take "
        "part in collaborations, or are about to, and want to do it with more confidence.",
    ),
    (
        "G2",
        "How the programme is organised",
        "The programme runs over six months. Each month has one day together in person and two "
        "short online meetings with a small group of peers.\n\n"
        "Between the meetings you work on a case from your own job. A mentor who has done "
        "similar work reads your notes and meets you twice.",
    ),
    (
        "G3",
        "What you will be able to do",
        "By the end you can plan a collaboration from the first meeting to the signed agreement, "
        "explain research to people who do not share its vocabulary, and negotiate terms that both "
        "sides can keep.\n\n"
        "You will also have a written portfolio of your case, which your employer can recognise "
        "as professional development.",
    ),
    (
        "G4",
        "How your work is assessed",
        "There is no examination. Your mentor and one other participant read your portfolio and "
        "discuss it with you in the last month.\n\n"
        "The assessment asks whether you reflected on what happened in your case and what you "
        "would do differently, not whether the case itself succeeded.",
    ),
)

# The sections in the other shipped languages, written for readers of each, not word by word:
# {code: {lang: (title, text)}}; a guide item carries them as name_xx and body_xx.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "G1": {
        "it": (
            "A chi si rivolge il programma",
            "Il programma si rivolge a chi fa circolare le conoscenze tra università, centri di ricerca "
            "e organizzazioni che utilizzano i risultati della ricerca: responsabili del trasferimento "
            "tecnologico, personale degli uffici di collegamento, research manager e i business "
            "developer che lavorano con loro.\n\n"
            "Non serve una laurea in una disciplina particolare. Conta che tu partecipi già a delle "
            "collaborazioni, o stia per farlo, e che voglia affrontarle con più sicurezza.",
        ),
        "pl": (
            "Dla kogo jest program",
            "Program jest przeznaczony dla osób, które przenoszą wiedzę między uczelniami, ośrodkami "
            "badawczymi a organizacjami korzystającymi z wyników badań: specjalistów ds. transferu "
            "technologii, pracowników biur współpracy, menedżerów badań oraz specjalistów ds. rozwoju "
            "biznesu, którzy z nimi współpracują.\n\n"
            "Nie jest wymagane wykształcenie w określonej dziedzinie. Liczy się to, że już bierzesz "
            "udział we współpracy albo wkrótce zaczniesz, i chcesz robić to pewniej.",
        ),
        "fi": (
            "Kenelle ohjelma on tarkoitettu",
            "Ohjelma on tarkoitettu ihmisille, jotka välittävät tietoa yliopistojen, "
            "tutkimuslaitosten ja tutkimusta hyödyntävien organisaatioiden välillä: "
            "teknologiansiirron asiantuntijoille, yhteistyökoordinaattoreille, tutkimuspalveluiden "
            "asiantuntijoille sekä heidän kanssaan työskenteleville liiketoiminnan kehittäjille.\n\n"
            "Tietyn alan tutkintoa ei vaadita. Tärkeintä on, että olet jo mukana yhteistyössä tai "
            "aloittamassa sitä ja haluat toimia siinä varmemmin.",
        ),
        "nl": (
            "Voor wie het programma is",
            "Het programma is bedoeld voor mensen die kennis laten stromen tussen universiteiten, "
            "onderzoekscentra en de organisaties die onderzoek gebruiken: medewerkers kennis- en "
            "technologietransfer, liaisonmedewerkers, onderzoeksmanagers en de businessdevelopers "
            "met wie zij samenwerken.\n\n"
            "Een diploma in een bepaald vak is niet nodig. Waar het om gaat, is dat je al aan "
            "samenwerkingen deelneemt, of daar binnenkort mee begint, en dat met meer zelfvertrouwen "
            "wilt doen.",
        ),
    },
    "G2": {
        "it": (
            "Come è organizzato il programma",
            "Il programma dura sei mesi. Ogni mese prevede una giornata in presenza e due brevi "
            "incontri online con un piccolo gruppo di colleghi.\n\n"
            "Tra un incontro e l'altro lavori su un caso tratto dal tuo lavoro. Un mentore che ha "
            "già svolto attività simili legge i tuoi appunti e ti incontra due volte.",
        ),
        "pl": (
            "Jak zorganizowany jest program",
            "Program trwa sześć miesięcy. W każdym miesiącu jest jeden dzień spotkań na miejscu "
            "i dwa krótkie spotkania online w małej grupie osób wykonujących podobną pracę.\n\n"
            "Między spotkaniami pracujesz nad przypadkiem z własnej praktyki. Mentor z doświadczeniem "
            "w podobnej pracy czyta Twoje notatki i spotyka się z Tobą dwa razy.",
        ),
        "fi": (
            "Miten ohjelma on järjestetty",
            "Ohjelma kestää kuusi kuukautta. Joka kuukausi on yksi yhteinen lähipäivä ja kaksi "
            "lyhyttä verkkotapaamista pienen vertaisryhmän kanssa.\n\n"
            "Tapaamisten välillä työstät tapausta omasta työstäsi. Samanlaista työtä tehnyt mentori "
            "lukee muistiinpanosi ja tapaa sinut kahdesti.",
        ),
        "nl": (
            "Hoe het programma is opgezet",
            "Het programma duurt zes maanden. Elke maand is er één dag waarop je elkaar in persoon "
            "ziet, en zijn er twee korte onlinebijeenkomsten met een kleine groep vakgenoten.\n\n"
            "Tussen de bijeenkomsten werk je aan een casus uit je eigen werk. Een mentor met "
            "ervaring in vergelijkbaar werk leest je aantekeningen en spreekt je twee keer.",
        ),
    },
    "G3": {
        "it": (
            "Che cosa saprai fare",
            "Alla fine saprai pianificare una collaborazione dal primo incontro fino alla firma "
            "dell'accordo, spiegare la ricerca a chi non ne conosce il linguaggio e negoziare "
            "condizioni che entrambe le parti possano rispettare.\n\n"
            "Avrai anche un portfolio scritto del tuo caso, che il tuo datore di lavoro potrà "
            "riconoscere come formazione professionale.",
        ),
        "pl": (
            "Co będziesz potrafić",
            "Na koniec będziesz potrafić zaplanować współpracę od pierwszego spotkania aż do "
            "podpisania umowy, wyjaśniać badania osobom, które nie znają ich języka, i negocjować "
            "warunki, których obie strony będą w stanie dotrzymać.\n\n"
            "Będziesz mieć też pisemne portfolio swojego przypadku, które pracodawca może uznać za "
            "część rozwoju zawodowego.",
        ),
        "fi": (
            "Mitä osaat ohjelman jälkeen",
            "Ohjelman päätyttyä osaat suunnitella yhteistyön ensitapaamisesta allekirjoitettuun "
            "sopimukseen asti, selittää tutkimusta ihmisille, joille sen käsitteet ovat vieraita, ja "
            "neuvotella ehdoista, joissa kumpikin osapuoli pystyy pysymään.\n\n"
            "Sinulle jää myös kirjallinen portfolio tapauksestasi, jonka työnantajasi voi hyväksyä "
            "osaksi ammatillista kehittymistäsi.",
        ),
        "nl": (
            "Wat je daarna kunt",
            "Aan het eind kun je een samenwerking plannen van het eerste gesprek tot de getekende "
            "overeenkomst, onderzoek uitleggen aan mensen die het vakjargon niet kennen, en "
            "afspraken maken waaraan beide partijen zich kunnen houden.\n\n"
            "Je hebt dan ook een schriftelijk portfolio van je casus, dat je werkgever kan erkennen "
            "als professionele ontwikkeling.",
        ),
    },
    "G4": {
        "it": (
            "Come viene valutato il tuo lavoro",
            "Non c'è un esame. Il tuo mentore e un altro partecipante leggono il tuo portfolio e "
            "ne discutono con te nell'ultimo mese.\n\n"
            "La valutazione guarda a come hai riflettuto su ciò che è successo nel tuo caso e su che "
            "cosa faresti diversamente, non al fatto che il caso in sé sia riuscito.",
        ),
        "pl": (
            "Jak oceniana jest Twoja praca",
            "Nie ma egzaminu. Twój mentor i jeszcze jeden uczestnik czytają Twoje portfolio "
            "i omawiają je z Tobą w ostatnim miesiącu.\n\n"
            "Ocena dotyczy refleksji nad tym, co wydarzyło się w Twoim przypadku i co można było "
            "zrobić inaczej, a nie tego, czy sam przypadek zakończył się sukcesem.",
        ),
        "fi": (
            "Miten työsi arvioidaan",
            "Tenttiä ei ole. Mentorisi ja yksi toinen osallistuja lukevat portfoliosi ja "
            "keskustelevat siitä kanssasi viimeisenä kuukautena.\n\n"
            "Arvioinnissa katsotaan, oletko pohtinut, mitä tapauksessasi tapahtui ja mitä tekisit "
            "toisin – ei sitä, onnistuiko itse tapaus.",
        ),
        "nl": (
            "Hoe je werk wordt beoordeeld",
            "Er is geen examen. Je mentor en één andere deelnemer lezen je portfolio en bespreken "
            "het in de laatste maand met je.\n\n"
            "De beoordeling kijkt naar hoe je hebt nagedacht over wat er in je casus gebeurde en wat "
            "je anders zou doen, niet naar de vraag of de casus zelf geslaagd is.",
        ),
    },
}


def extra_for(code: str) -> dict[str, str]:
    """A section's translations as a guide item carries them: name_xx, body_xx."""
    out = {}
    for lang, (title, text) in TRANSLATIONS.get(code, {}).items():
        out[f"name_{lang}"], out[f"body_{lang}"] = title, text
    return out
