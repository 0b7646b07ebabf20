"""The example framework shipped with Sounding Board: soft skills of KT professionals."""

from __future__ import annotations

NAME = "KT professionals' soft skills (example)"

# (code, name, cluster, definition) written for Sounding Board as a starting point.
SKILLS: tuple[tuple[str, str, str, str], ...] = (
    (
        "COM",
        "Communication",
        "Interpersonal",
        "Explains research and business needs clearly to each audience, in writing and in person, "
        "and checks that the message was understood.",
    ),
    (
        "NEG",
        "Negotiation",
        "Interpersonal",
        "Reaches agreements on collaboration, licensing or funding that both academic and business "
        "partners can accept, while protecting each side's core interests.",
    ),
    (
        "EMP",
        "Empathy",
        "Interpersonal",
        "Understands the motives, constraints and feelings of researchers and companies and takes "
        "them into account when brokering.",
    ),
    (
        "NET",
        "Networking",
        "Interpersonal",
        "Builds and maintains relationships of trust with researchers, firms and intermediaries, "
        "and knows whom to connect with whom.",
    ),
    (
        "CRT",
        "Critical thinking",
        "Cognitive",
        "Weighs evidence, claims and risks of a research result or partnership before "
        "recommending a course of action.",
    ),
    (
        "PRB",
        "Problem solving",
        "Cognitive",
        "Finds workable solutions when a collaboration meets legal, financial or practical obstacles.",
    ),
    (
        "ADP",
        "Adaptability",
        "Self-management",
        "Adjusts approach, language and pace to different partners, sectors and unexpected "
        "changes without losing sight of the goal.",
    ),
    (
        "RES",
        "Resilience",
        "Self-management",
        "Keeps going constructively through long deal cycles, rejections and setbacks.",
    ),
    (
        "TEA",
        "Teamwork",
        "Interpersonal",
        "Works with colleagues across departments and organisations, sharing information and "
        "credit to reach a common result.",
    ),
    (
        "ENT",
        "Entrepreneurial mindset",
        "Cognitive",
        "Spots opportunities to turn research into value for society or the market and takes "
        "initiative to pursue them.",
    ),
)

# Each skill's name and definition in the other shipped languages, as a framework import reads
# them (name_<lang>, definition_<lang>). Written for meaning, as a KT professional in that
# country would say it, not word by word.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "COM": {
        "it": (
            "Comunicazione",
            "Spiega con chiarezza le esigenze della ricerca e delle imprese a ogni tipo "
            "di pubblico, per iscritto e di persona, e verifica che il messaggio sia "
            "stato compreso.",
        ),
        "pl": (
            "Komunikacja",
            "Jasno wyjaśnia potrzeby nauki i biznesu każdemu odbiorcy, na piśmie i "
            "osobiście, oraz sprawdza, czy przekaz został zrozumiany.",
        ),
        "fi": (
            "Viestintä",
            "Selittää tutkimuksen ja yritysten tarpeet selkeästi kullekin kohderyhmälle "
            "kirjallisesti ja kasvokkain ja varmistaa, että viesti on ymmärretty.",
        ),
        "nl": (
            "Communicatie",
            "Legt de behoeften van onderzoek en bedrijfsleven helder uit aan elk publiek,"
            " schriftelijk en persoonlijk, en gaat na of de boodschap is begrepen.",
        ),
    },
    "NEG": {
        "it": (
            "Negoziazione",
            "Raggiunge accordi di collaborazione, licenza o finanziamento accettabili sia"
            " per i partner accademici sia per quelli industriali, tutelando gli "
            "interessi essenziali di ciascuna parte.",
        ),
        "pl": (
            "Negocjacje",
            "Doprowadza do porozumień o współpracy, licencjach lub finansowaniu, które "
            "mogą przyjąć zarówno partnerzy akademiccy, jak i biznesowi, chroniąc przy "
            "tym kluczowe interesy każdej ze stron.",
        ),
        "fi": (
            "Neuvottelutaito",
            "Saa aikaan yhteistyö-, lisenssi- tai rahoitussopimuksia, jotka sekä "
            "akateemiset kumppanit että yrityskumppanit voivat hyväksyä, ja turvaa "
            "samalla kummankin osapuolen keskeiset edut.",
        ),
        "nl": (
            "Onderhandelen",
            "Bereikt afspraken over samenwerking, licenties of financiering die zowel "
            "academische als zakelijke partners kunnen aanvaarden, en beschermt daarbij "
            "de kernbelangen van beide kanten.",
        ),
    },
    "EMP": {
        "it": (
            "Empatia",
            "Comprende motivazioni, vincoli e stati d'animo di ricercatori e imprese e ne"
            " tiene conto nel suo ruolo di intermediario.",
        ),
        "pl": (
            "Empatia",
            "Rozumie motywacje, ograniczenia i odczucia naukowców oraz firm i bierze je "
            "pod uwagę, pośrednicząc między nimi.",
        ),
        "fi": (
            "Empatia",
            "Ymmärtää tutkijoiden ja yritysten motiivit, rajoitteet ja tunteet ja ottaa "
            "ne huomioon välittäjän työssään.",
        ),
        "nl": (
            "Empathie",
            "Begrijpt de motieven, beperkingen en gevoelens van onderzoekers en bedrijven"
            " en houdt daar bij het bemiddelen rekening mee.",
        ),
    },
    "NET": {
        "it": (
            "Networking",
            "Costruisce e mantiene rapporti di fiducia con ricercatori, imprese e "
            "intermediari, e sa chi mettere in contatto con chi.",
        ),
        "pl": (
            "Budowanie sieci kontaktów",
            "Buduje i podtrzymuje oparte na zaufaniu relacje z naukowcami, firmami i "
            "pośrednikami oraz wie, kogo warto z kim połączyć.",
        ),
        "fi": (
            "Verkostoituminen",
            "Rakentaa ja ylläpitää luottamuksellisia suhteita tutkijoihin, yrityksiin ja "
            "välittäjäorganisaatioihin ja tietää, kenet kannattaa saattaa yhteen.",
        ),
        "nl": (
            "Netwerken",
            "Bouwt vertrouwensrelaties op met onderzoekers, bedrijven en intermediairs, "
            "onderhoudt ze en weet wie met wie in contact te brengen.",
        ),
    },
    "CRT": {
        "it": (
            "Pensiero critico",
            "Valuta prove, affermazioni e rischi di un risultato di ricerca o di una "
            "partnership prima di raccomandare una linea d'azione.",
        ),
        "pl": (
            "Krytyczne myślenie",
            "Rzetelnie ocenia dowody, deklaracje i ryzyka związane z wynikiem badań lub "
            "partnerstwem, zanim zarekomenduje sposób działania.",
        ),
        "fi": (
            "Kriittinen ajattelu",
            "Punnitsee tutkimustuloksen tai kumppanuuden näyttöä, väitteitä ja riskejä "
            "ennen kuin suosittelee toimintatapaa.",
        ),
        "nl": (
            "Kritisch denken",
            "Weegt bewijs, beweringen en risico's van een onderzoeksresultaat of "
            "partnerschap af voordat er een aanpak wordt aanbevolen.",
        ),
    },
    "PRB": {
        "it": (
            "Risoluzione dei problemi",
            "Trova soluzioni praticabili quando una collaborazione incontra ostacoli "
            "legali, finanziari o pratici.",
        ),
        "pl": (
            "Rozwiązywanie problemów",
            "Znajduje wykonalne rozwiązania, gdy współpraca napotyka przeszkody prawne, "
            "finansowe lub praktyczne.",
        ),
        "fi": (
            "Ongelmanratkaisu",
            "Löytää toimivia ratkaisuja, kun yhteistyö kohtaa oikeudellisia, "
            "taloudellisia tai käytännön esteitä.",
        ),
        "nl": (
            "Probleemoplossend vermogen",
            "Vindt werkbare oplossingen wanneer een samenwerking op juridische, "
            "financiële of praktische obstakels stuit.",
        ),
    },
    "ADP": {
        "it": (
            "Adattabilità",
            "Adatta approccio, linguaggio e ritmo a partner e settori diversi e ai "
            "cambiamenti imprevisti, senza perdere di vista l'obiettivo.",
        ),
        "pl": (
            "Zdolność adaptacji",
            "Dostosowuje podejście, język i tempo do różnych partnerów, sektorów i "
            "nieoczekiwanych zmian, nie tracąc z oczu celu.",
        ),
        "fi": (
            "Sopeutumiskyky",
            "Mukauttaa toimintatapaansa, kieltään ja tahtiaan erilaisiin kumppaneihin, "
            "toimialoihin ja yllättäviin muutoksiin kadottamatta tavoitetta näkyvistä.",
        ),
        "nl": (
            "Aanpassingsvermogen",
            "Past aanpak, taal en tempo aan verschillende partners, sectoren en "
            "onverwachte veranderingen aan zonder het doel uit het oog te verliezen.",
        ),
    },
    "RES": {
        "it": (
            "Resilienza",
            "Continua a lavorare in modo costruttivo nonostante trattative lunghe, "
            "rifiuti e battute d'arresto.",
        ),
        "pl": (
            "Odporność psychiczna",
            "Działa konstruktywnie i wytrwale mimo długich negocjacji umów, odmów i niepowodzeń.",
        ),
        "fi": (
            "Resilienssi",
            "Jatkaa rakentavasti pitkissä sopimusneuvotteluissa sekä kielteisten "
            "päätösten ja takaiskujen keskellä.",
        ),
        "nl": (
            "Veerkracht",
            "Blijft constructief doorgaan tijdens lange onderhandelingstrajecten, "
            "afwijzingen en tegenslagen.",
        ),
    },
    "TEA": {
        "it": (
            "Lavoro di squadra",
            "Collabora con colleghi di altri uffici e organizzazioni, condividendo "
            "informazioni e meriti per raggiungere un risultato comune.",
        ),
        "pl": (
            "Praca zespołowa",
            "Współpracuje z osobami z różnych działów i organizacji, dzieląc się "
            "informacjami i zasługami, aby osiągnąć wspólny cel.",
        ),
        "fi": (
            "Tiimityö",
            "Tekee yhteistyötä kollegoiden kanssa yli yksikkö- ja organisaatiorajojen ja "
            "jakaa tietoa ja tunnustusta yhteisen tuloksen saavuttamiseksi.",
        ),
        "nl": (
            "Samenwerken",
            "Werkt samen met collega's over afdelingen en organisaties heen en deelt "
            "informatie en erkenning om een gezamenlijk resultaat te bereiken.",
        ),
    },
    "ENT": {
        "it": (
            "Mentalità imprenditoriale",
            "Individua occasioni per trasformare la ricerca in valore per la società o "
            "per il mercato e prende l'iniziativa per coglierle.",
        ),
        "pl": (
            "Postawa przedsiębiorcza",
            "Dostrzega szanse na przekształcenie wyników badań w wartość dla "
            "społeczeństwa lub rynku i z własnej inicjatywy je wykorzystuje.",
        ),
        "fi": (
            "Yrittäjämäinen ajattelutapa",
            "Tunnistaa mahdollisuudet muuttaa tutkimus arvoksi yhteiskunnalle tai "
            "markkinoille ja tarttuu niihin oma-aloitteisesti.",
        ),
        "nl": (
            "Ondernemende houding",
            "Ziet kansen om onderzoek om te zetten in waarde voor de samenleving of de "
            "markt en neemt het initiatief om die te benutten.",
        ),
    },
}


# The clusters' names, as phones and the self-assessment profile show them (cluster_<lang>).
CLUSTERS: dict[str, dict[str, str]] = {
    "Interpersonal": {
        "it": "Relazionali",
        "pl": "Interpersonalne",
        "fi": "Vuorovaikutus",
        "nl": "Interpersoonlijk",
    },
    "Cognitive": {"it": "Cognitive", "pl": "Poznawcze", "fi": "Ajattelu", "nl": "Cognitief"},
    "Self-management": {
        "it": "Gestione di sé",
        "pl": "Samoorganizacja",
        "fi": "Itsensä johtaminen",
        "nl": "Zelfmanagement",
    },
}


def extra_for(code: str) -> dict[str, str]:
    """A skill's translations as a framework stores them: {"name_it": ..., "definition_it": ...,
    "cluster_it": ...}."""
    out: dict[str, str] = {}
    cluster = next((s[2] for s in SKILLS if s[0] == code), "")
    for lang, (name, definition) in TRANSLATIONS.get(code, {}).items():
        out[f"name_{lang}"], out[f"definition_{lang}"] = name, definition
        if lang in CLUSTERS.get(cluster, {}):
            out[f"cluster_{lang}"] = CLUSTERS[cluster][lang]
    return out
