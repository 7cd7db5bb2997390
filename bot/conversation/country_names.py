"""Every UN member state (and Kosovo and Palestina), Dutch name first.

One row a country: the Dutch name (the value the plan keeps), then the English
and French names, then other spellings clients type (short forms, common
misspellings, the nationality for the countries most clients come from).
``bot.conversation.normalise`` matches these; ``scripts/build_country_lookup.py``
writes the `country` lookup table and its synonyms (data/nlu/countries.yml)
from the same rows, so the NLU and the actions know the same names.

Left out on purpose: words that are also common first names or words in a
sentence ("maurice", "us", "vs", "amerika" - Zuid-Amerika is not a country).
"""

from __future__ import annotations

from typing import Dict, Tuple

_ROWS = """
Afghanistan | Afghanistan | Afghanistan | afganistan, afghanestan, afgan, afghaan, afghan, afghani, afganestan
Albanië | Albania | Albanie | albanees, albanese, albanian, albanais, shqiperia
Algerije | Algeria | Algérie | algerijn, algerian, algerien, algerije, aljazair, algerie
Andorra | Andorra | Andorre
Angola | Angola | Angola | angolees, angolan
Antigua en Barbuda | Antigua and Barbuda | Antigua-et-Barbuda | antigua
Argentinië | Argentina | Argentine | argentinie
Armenië | Armenia | Arménie | armeniër, armenian, armenien, hayastan, armenie
Australië | Australia | Australie
Oostenrijk | Austria | Autriche
Azerbeidzjan | Azerbaijan | Azerbaïdjan | azerbaidzjan, azerbeidjan, azerbaidjan
Bahama's | Bahamas | Bahamas | bahamas
Bahrein | Bahrain | Bahreïn
Bangladesh | Bangladesh | Bangladesh | bangladeshi, bengladesh, bangladech
Barbados | Barbados | Barbade
Belarus | Belarus | Biélorussie | wit-rusland, witrusland, wit rusland, bielorussie
België | Belgium | Belgique | belgie
Belize | Belize | Belize
Benin | Benin | Bénin
Bhutan | Bhutan | Bhoutan
Bolivia | Bolivia | Bolivie
Bosnië | Bosnia and Herzegovina | Bosnie-Herzégovine | bosnia, bosnie, bosnië en herzegovina, bosnie herzegovina, bosnian
Botswana | Botswana | Botswana
Brazilië | Brazil | Brésil | brazilie, brasil
Brunei | Brunei | Brunei
Bulgarije | Bulgaria | Bulgarie
Burkina Faso | Burkina Faso | Burkina | burkina
Burundi | Burundi | Burundi | burundees, burundian
Kaapverdië | Cape Verde | Cap-Vert | kaapverdie, cabo verde
Cambodja | Cambodia | Cambodge
Kameroen | Cameroon | Cameroun | kamerun, kameroener, cameroonian, camerounais, cameroen
Canada | Canada | Canada
Centraal-Afrikaanse Republiek | Central African Republic | République centrafricaine | centrafrique
Tsjaad | Chad | Tchad | tschaad, tsjad
Chili | Chile | Chili
China | China | Chine
Colombia | Colombia | Colombie | columbia, colombiaan, colombian, colombien, kolombia
Comoren | Comoros | Comores
Congo | DR Congo | RD Congo | democratische republiek congo, democratic republic of the congo, république démocratique du congo, congo-kinshasa, congo kinshasa, kongo, drc, rdc, congolees, congolese, congolais
Congo-Brazzaville | Republic of the Congo | République du Congo | congo brazzaville
Costa Rica | Costa Rica | Costa Rica
Ivoorkust | Ivory Coast | Côte d'Ivoire | cote d ivoire, cote divoire, ivoirien, ivorian
Kroatië | Croatia | Croatie | kroatie
Cuba | Cuba | Cuba
Cyprus | Cyprus | Chypre
Tsjechië | Czechia | Tchéquie | czech republic, tsjechie
Denemarken | Denmark | Danemark
Djibouti | Djibouti | Djibouti | dzjibouti
Dominica | Dominica | Dominique
Dominicaanse Republiek | Dominican Republic | République dominicaine
Ecuador | Ecuador | Équateur
Egypte | Egypt | Égypte | egyptenaar, egyptian, egyptien, misr
El Salvador | El Salvador | Salvador
Equatoriaal-Guinea | Equatorial Guinea | Guinée équatoriale
Eritrea | Eritrea | Érythrée | eritreeer, eritreeër, eritrean, erythreen, eritria, eritre, ertra, erithrea, eritrie
Estland | Estonia | Estonie
Eswatini | Eswatini | Eswatini | swaziland
Ethiopië | Ethiopia | Éthiopie | ethiopiër, ethiopian, ethiopien, etiopia, ethiopie, ethiopa
Fiji | Fiji | Fidji
Finland | Finland | Finlande
Frankrijk | France | France | frankrijk
Gabon | Gabon | Gabon
Gambia | Gambia | Gambie | the gambia, gambiaan, gambian
Georgië | Georgia | Géorgie | georgiër, georgian, georgien, sakartvelo, georgie
Duitsland | Germany | Allemagne | deutschland
Ghana | Ghana | Ghana | gana, ghanees, ghanaian, ghaneen
Griekenland | Greece | Grèce
Grenada | Grenada | Grenade
Guatemala | Guatemala | Guatemala
Guinee | Guinea | Guinée | guine, gine, guinea conakry, guinee conakry, guineeer, guineeër, guinean, guineen
Guinee-Bissau | Guinea-Bissau | Guinée-Bissau | bissau
Guyana | Guyana | Guyana
Haïti | Haiti | Haïti | haiti
Honduras | Honduras | Honduras
Hongarije | Hungary | Hongrie
IJsland | Iceland | Islande | ijsland
India | India | Inde | indiaas
Indonesië | Indonesia | Indonésie | indonesie
Iran | Iran | Iran | iraniër, iranian, iranien, perzie, persia
Irak | Iraq | Irak | iraq, iraaks, irakees, iraakees, iraqi, irakien, koerdistan, kurdistan, kurdistan irak
Ierland | Ireland | Irlande
Israël | Israel | Israël | israel
Italië | Italy | Italie
Jamaica | Jamaica | Jamaïque
Japan | Japan | Japon
Jordanië | Jordan | Jordanie | jordanie
Kazachstan | Kazakhstan | Kazakhstan | kazakstan
Kenia | Kenya | Kenya | keniaan, kenyan
Kiribati | Kiribati | Kiribati
Koeweit | Kuwait | Koweït | koeweit
Kirgizië | Kyrgyzstan | Kirghizistan | kirgizie, kirgizstan
Laos | Laos | Laos
Letland | Latvia | Lettonie
Libanon | Lebanon | Liban | libanees, lebanese, libanais
Lesotho | Lesotho | Lesotho
Liberia | Liberia | Libéria | liberiaan, liberian
Libië | Libya | Libye | libie, libiër, libyan, libyen, lybie, lybia
Liechtenstein | Liechtenstein | Liechtenstein
Litouwen | Lithuania | Lituanie
Luxemburg | Luxembourg | Luxembourg
Madagaskar | Madagascar | Madagascar
Malawi | Malawi | Malawi
Maleisië | Malaysia | Malaisie | maleisie
Maldiven | Maldives | Maldives
Mali | Mali | Mali | malinees, malian, malien
Malta | Malta | Malte
Marshalleilanden | Marshall Islands | Îles Marshall
Mauritanië | Mauritania | Mauritanie | mauritanie
Mauritius | Mauritius | Île Maurice
Mexico | Mexico | Mexique
Micronesia | Micronesia | Micronésie
Moldavië | Moldova | Moldavie | moldavie
Monaco | Monaco | Monaco
Mongolië | Mongolia | Mongolie | mongolie, mongool, mongolian
Montenegro | Montenegro | Monténégro
Marokko | Morocco | Maroc | marocco, marroko, marokaan, marokkaan, moroccan, marocain
Mozambique | Mozambique | Mozambique | mozambik
Myanmar | Myanmar | Myanmar | birma, burma, birmanie
Namibië | Namibia | Namibie
Nauru | Nauru | Nauru
Nepal | Nepal | Népal
Nederland | Netherlands | Pays-Bas | holland, holland, the netherlands, pays bas, hollande
Nieuw-Zeeland | New Zealand | Nouvelle-Zélande
Nicaragua | Nicaragua | Nicaragua
Niger | Niger | Niger
Nigeria | Nigeria | Nigéria | nigerie, naija, nigeriaan, nigerian, nigerian, nigerien
Noord-Korea | North Korea | Corée du Nord
Noord-Macedonië | North Macedonia | Macédoine du Nord | macedonie, macedonia, noord macedonie
Noorwegen | Norway | Norvège
Oman | Oman | Oman
Pakistan | Pakistan | Pakistan | pakistaan, pakistani, pakistanais, pakestan
Palau | Palau | Palaos
Panama | Panama | Panama
Papoea-Nieuw-Guinea | Papua New Guinea | Papouasie-Nouvelle-Guinée
Paraguay | Paraguay | Paraguay
Peru | Peru | Pérou
Filipijnen | Philippines | Philippines | filippijnen
Polen | Poland | Pologne
Portugal | Portugal | Portugal
Qatar | Qatar | Qatar | katar
Zuid-Korea | South Korea | Corée du Sud | korea
Roemenië | Romania | Roumanie | roemenie
Rusland | Russia | Russie | rus, russian, russe, rossija
Rwanda | Rwanda | Rwanda | ruanda
Saint Kitts en Nevis | Saint Kitts and Nevis | Saint-Christophe-et-Niévès
Saint Lucia | Saint Lucia | Sainte-Lucie
Saint Vincent en de Grenadines | Saint Vincent and the Grenadines | Saint-Vincent-et-les-Grenadines
Samoa | Samoa | Samoa
San Marino | San Marino | Saint-Marin
Sao Tomé en Principe | Sao Tome and Principe | Sao Tomé-et-Principe
Saoedi-Arabië | Saudi Arabia | Arabie saoudite | saoedi arabie, saudi, saoedie arabie
Senegal | Senegal | Sénégal | senegalees, senegalese, senegalais
Servië | Serbia | Serbie | servie, serviër, serbian, srbija
Seychellen | Seychelles | Seychelles
Sierra Leone | Sierra Leone | Sierra Leone | sierraleone, sierra lione, siera leone, salone
Singapore | Singapore | Singapour
Slowakije | Slovakia | Slovaquie
Slovenië | Slovenia | Slovénie
Salomonseilanden | Solomon Islands | Îles Salomon
Somalië | Somalia | Somalie | somaliland, somaliër, somalier, somalian, soomaaliya
Zuid-Afrika | South Africa | Afrique du Sud | zuid afrika
Zuid-Soedan | South Sudan | Soudan du Sud | zuid soedan
Spanje | Spain | Espagne
Sri Lanka | Sri Lanka | Sri Lanka | srilanka, sri lanca, ceylon, srilankaan, sri lankan
Soedan | Sudan | Soudan | soedanees, sudanese, soudanais, sudaan
Suriname | Suriname | Suriname | surinam
Zweden | Sweden | Suède
Zwitserland | Switzerland | Suisse
Syrië | Syria | Syrie | siria, sirie, syrien, syriër, syrier, syrian, soeria, suriya
Tadzjikistan | Tajikistan | Tadjikistan | tadjikistan
Tanzania | Tanzania | Tanzanie
Thailand | Thailand | Thaïlande
Oost-Timor | East Timor | Timor oriental | timor-leste
Togo | Togo | Togo | togolees, togolese, togolais
Tonga | Tonga | Tonga
Trinidad en Tobago | Trinidad and Tobago | Trinité-et-Tobago | trinidad
Tunesië | Tunisia | Tunisie | tunesie, tunesiër, tunisian, tunisien
Turkije | Turkey | Turquie | turkiye, türkiye, turkei
Turkmenistan | Turkmenistan | Turkménistan
Tuvalu | Tuvalu | Tuvalu
Oeganda | Uganda | Ouganda | ugandan
Oekraïne | Ukraine | Ukraine | oekraine, oekraïner, ukrainian, ukrainien, ukrajina, oekrajine
Verenigde Arabische Emiraten | United Arab Emirates | Émirats arabes unis | vae, uae, emiraten
Verenigd Koninkrijk | United Kingdom | Royaume-Uni | engeland, england, angleterre, groot-brittannië, great britain, britain, uk
Verenigde Staten | United States | États-Unis | usa, united states of america, etats unis
Uruguay | Uruguay | Uruguay
Oezbekistan | Uzbekistan | Ouzbékistan | uzbekistan
Vanuatu | Vanuatu | Vanuatu
Venezuela | Venezuela | Venezuela | venezolaan, venezuelan, venezuelien, venezuala
Vietnam | Vietnam | Viêt Nam | viet nam
Jemen | Yemen | Yémen | jemeniet, yemeni, yemenite
Zambia | Zambia | Zambie
Zimbabwe | Zimbabwe | Zimbabwe
Kosovo | Kosovo | Kosovo | kosova
Palestina | Palestine | Palestine | palestijn, palestinian, palestinien
"""


def _rows() -> Dict[str, Tuple[str, ...]]:
    table: Dict[str, Tuple[str, ...]] = {}
    for line in _ROWS.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        dutch, english, french = parts[:3]
        extra = [w.strip() for w in parts[3].split(",")] if len(parts) > 3 else []
        names = []
        for name in (english, french, *extra):
            if name and name.lower() != dutch.lower() and name.lower() not in names:
                names.append(name.lower())
        table[dutch] = tuple(names)
    return table


# Dutch name -> the other names and spellings (lower case, accents as typed).
COUNTRIES: Dict[str, Tuple[str, ...]] = _rows()
