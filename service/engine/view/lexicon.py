"""Word lists the sieves and the speaker resolver share, each word once."""
from __future__ import annotations


def words(listed: str) -> frozenset[str]:
    """The words of a list written one after another; a word written twice is a mistake."""
    items = listed.split()
    repeated = sorted({word for word in items if items.count(word) > 1})
    if repeated:
        raise ValueError(f"words listed twice: {', '.join(repeated)}")
    return frozenset(items)

# Lemmas of verbs that report speech or writing.
SPEECH_VERBS = words("""
say tell add stress insist warn tweet write note explain ask reply argue claim declare announce state
continue recall remark acknowledge admit concede counter respond suggest urge call describe joke quip
complain lament predict promise vow pledge caution emphasize emphasise underline underscore confirm deny
observe comment post shout yell chant testify report conclude cite boast charge contend maintain muse
point recount reiterate scream sigh thunder whisper agree beg brag question wonder assert allege
advise answer blast brief demand disclose echo exclaim grumble hint inform interject mention object
plead proclaim protest reason rebut recommend reflect reject retort reveal rule scoff snap speak
summarize tout threaten told unveil utter voice characterize dismiss criticize praise
accuse lash slam thank concur posit preach decry mock ridicule pronounce sneer elaborate opine
quote quipped read brand label dub term scold chide rebuke lecture retweet pen sing rap
repeat express snipe blurt confess apologize apologise clarify specify imply indicate signal speculate
affirm avow swear attest vouch counsel instruct inquire enquire query riposte gush rant rave fume marvel
gloat taunt tease growl bark snarl hiss murmur mutter mumble cry wail roar bellow holler deadpan intone
recite editorialize blog text email message caption headline remind notify request propose implore
applaud assail condemn denounce dispute rail sniff volunteer talk interrupt chime weigh
""")

# Verbs that report speech only with a particle or object ("pointed out", "put it").
PHRASAL_SPEECH = {"point": {"out"}, "put": {"it"}, "go": {"on"}, "sum": {"up"}, "fire": {"back"},
                  "shoot": {"back"}, "hit": {"back", "out"}, "spell": {"out"}, "sound": {"off"},
                  "pipe": {"up"}, "speak": {"up", "out"}, "write": {"back"}, "make": {"clear"}}

# Verbs of saying whose passive subject is the one spoken to ("Rubio was asked whether …").
ADDRESSEE_VERBS = words("""
ask tell urge advise inform warn question thank brief beg implore press remind assure caution quiz
interview lecture scold chide rebuke accuse criticize praise blast slam mock call
""")

# Nouns that carry speech as the subject of a verb or in "in a statement".
SPEECH_NOUNS = words("""
statement remarks comment comments interview speech tweet post letter message note release email
""")

# Nouns that carry someone's words beside a quote: "her response: “…”", "“…” was the reply of the
# minister", "in his words".
NOUN_CUES = words("""
response reply answer retort rejoinder message statement comment remark verdict advice warning
explanation argument claim promise pledge question words word view take assessment quip
""")

# Verbs by which someone puts out a statement or letter that then speaks for them ("the council issued a
# statement calling ...", "the ministry released a letter saying ...").
ISSUING_VERBS = words("""
issue release publish send post put deliver give make read sign file circulate distribute
""")

TITLES = words("""
mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady prof prof. professor rev rev. gen gen. sen sen.
rep rep. gov gov. lt lt. col col. capt capt. sgt sgt. president vice prime minister chancellor senator
representative governor mayor secretary general judge justice king queen prince princess pope
ambassador chairman chairwoman chair ceo director commissioner sheriff officer spokesman spokeswoman
spokesperson former deputy acting chief first councillor councilor councilman councilwoman alderman
alderwoman assemblyman assemblywoman congressman congresswoman mp mla mpp premier trustee detective
inspector constable superintendent bishop archbishop rabbi imam reverend actor actress singer rapper
coach author novelist comedian host anchor
""")

PERSONAL_PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "they": "plural", "them": "plural", "their": "plural",
    "i": "self", "we": "plural", "you": "other", "it": "neuter",
}

# Words that stand for one more member of a crowd the article quotes ("another added", "said one").
VOX_POP = words("another one others some many several")

# Heads of descriptions that stand for an unnamed source ("an Elysee official").
ANONYMOUS_HEADS = words("""
official officials source sources spokesman spokeswoman spokesperson aide aides adviser advisers advisor
diplomat diplomats officer person people insider insiders analyst analysts staffer staffers member
members observer observers expert experts witness witnesses resident residents voter voters
""")

MALE_WORDS = words("mr mr. sir lord king prince he him his father son brother husband man")
FEMALE_WORDS = words("mrs mrs. ms ms. miss dame lady queen princess she her mother daughter sister wife woman")
# Descriptions whose own word says the gender ("the spokeswoman", "the congressman", "the actress").
MALE_NOUNS = words("""
man spokesman congressman chairman businessman councilman assemblyman alderman policeman fireman
gentleman statesman clergyman anchorman king prince duke father son brother husband boy actor
""")
FEMALE_NOUNS = words("""
woman spokeswoman congresswoman chairwoman businesswoman councilwoman assemblywoman policewoman
lady queen princess duchess mother daughter sister wife girl actress waitress heiress
""")

# Heads of descriptions that stand for a person named elsewhere ("the French leader", "the senator").
ROLE_HEADS = words("""
leader president senator minister candidate nominee governor chancellor mayor congressman
congresswoman lawmaker legislator envoy ambassador businessman businesswoman billionaire mogul
executive founder chairman chairwoman lawyer attorney judge general commander prosecutor secretary
premier monarch king queen prince pope chief director manager coach star actor actress singer
author writer historian economist scientist professor doctor veteran activist pastor
""")

# Heads of names of organisations ("the union", "the ministry").
ORGANIZATION_HEADS = words("""
union ministry office government company campaign committee agency department council party court
police group administration commission board bank firm organization organisation association
coalition alliance embassy army military navy service network newspaper paper channel station
university institute foundation center centre team club league federation authority regulator
""")

# Common given names whose bearers are mostly women or mostly men, so that "she" finds Angela Merkel and
# "he" finds Emmanuel Macron when no title says which. Names given to both (Jean, Robin, Kim) are left out.
FEMALE_NAMES = words("""
abigail ada adriana agnes aileen alexandra alexandria alice alicia alison amanda amber amelia amy ana anastasia
 angela angelina angelique anita ann anna anne annalena annette antonia april arianna audrey
barbara beata beatrice belinda bernadette betsy betty beverly bonnie brenda bridget brigitte brittany
camilla candace carla carly carmen carol caroline carolyn catherine cathy cecilia celine charlotte chelsea
cheryl chloe christina christine chrystia cindy claire clara claudia colleen constance cornelia corinne
courtney cristina cynthia daniela danielle debbie deborah debra delphine denise diana diane dianne
dolores donna doris dorothy edith elaine eleanor elena elisabeth elise elizabeth ella ellen elsa elisa
emily emma erica erin esther eva evelyn fatima felicity fiona florence frances francesca franziska gabriela
gabrielle georgia geraldine gillian gina giorgia giulia gloria grace gretchen greta gwen hannah harriet
heather heidi helen helena helga hilary hillary holly ilhan ingrid irene iris isabel isabella isabelle
jacinda jacqueline jane janet janice jeanne jennifer jenny jessica jill joan joanna jodi josephine
joyce judith judy julia julie juliet justine kaja kamala karen karin kate katherine kathleen kathryn kathy
katie katrin kayleigh kemi kirsten kristi kristen kristina kristy laura lauren leila lena
 lilian linda lisa liz lois loretta lorraine louise lucy lydia mairead margaret margarethe
margrethe maria marianne marie marine marina marion marjorie marlene martha mary maya megan melania
melanie melissa meloni michelle mirjana miriam molly monica nadia nancy naomi natalia natalie nathalie
nicola nicole nikki nina nora olena olga olivia pamela patricia paula pauline penny petra phyllis
priti priscilla rachel rachael rebecca regina renate rita roberta rosa rosalind rose ruth sabine sahra
sally samantha sandra sara sarah sharon sheila shirley silvia simone sofia sonia sophie stella stephanie
susan susanne suzanne sylvia tamara tanya teresa theresa tina tracy tulsi ulrike ursula valerie vanessa
veronica victoria virginia vivian wendy yulia yvette yvonne zoe
""")

MALE_NAMES = words("""
aaron abdel abdullah abraham adam adrian ahmed alan albert alberto alejandro aleksandr alexander
alexei alexis alfred ali alistair andre andreas andrei andres andrew andrzej angus anthony antonio antony
armin arnold arthur barack barry bashir ben benjamin benedict benny bernard bernie bill bob boris brad
bradley brandon brett brian bruce bruno carl carlos charles chris christoph christopher chuck clarence
colin conor craig dan daniel danny darren dave david dennis derek dick dmitry dominic don donald doug
douglas duncan dwight earl ed eddie edgar edmund eduardo edward elon emmanuel enrico eric erik ernest
eugene fabio fernando francis francisco frank franklin fred frederick friedrich gary gavin geert george
gerald gerhard giuseppe gordon graham grant greg gregory guy hans harold harry hassan heinrich
henry herbert howard hugh hugo ian igor ilya isaac ivan jack jacob jake james jared jason javier
jay jean-claude jean-luc jean-noel jean-yves jeff jeffrey jens jeremy jerome jerry jim jimmy joe joel
johann john johnny jon jonathan jorge jose joseph josh joshua juan julian justin karl keir keith ken
kenneth kevin klaus kurt lars lawrence leo leon leonard liam lloyd louis luca lucas
luis luke marco marcus mario mark marko martin matt matteo matthew maurice max michael michel miguel
mike mikhail mitch mitt mohamed mohammad mohammed muhammad narendra nathan neil nicholas nick nicolas
nigel nikolai norman olaf oliver olivier omar oscar otto owen pablo patrick paul pedro pete peter
phil philip philippe pierre rafael ralph randy raymond recep reza richard rick rishi rob robert roberto
rodrigo roger roland ron ronald ross roy rudy rupert russell ryan samuel scott sean sebastian sergei
sergey shinzo simon stanley stefan stephen steve steven stuart ted theodore thomas tim timothy tom
tommy tony travis ulf valery vernon victor viktor vince vincent vitali vladimir volodymyr walter wayne
werner william wolfgang xavier yair yevgeny yuri yves zachary
""")

# Lemmas of verbs whose complement is reported speech (said that ..., urged them to ...): words of
# communication only; beliefs and perceptions (think, believe, know, hope, want, see) are not speech.
REPORTED_SPEECH_VERBS = words("""
accuse acknowledge add admit advise affirm allege announce answer apologize applaud argue ask assail assert
assure attack beg blame blast blog boast brag brand brief call caution challenge chant characterize charge chide
cite claim clarify comment complain concede condemn confess confirm contend counter criticize criticise declare
decry defend demand denounce deny describe disclose discuss dismiss dispute dub echo elaborate email emphasize
emphasise encourage exclaim explain express grumble hint implore imply indicate inform insist instruct interject
joke label lament maintain mention mock muse note notify observe order plead pledge post praise preach predict
proclaim promise pronounce propose protest publish question quip quote rail rebuke rebut recall recommend
recount reiterate remark remind repeat reply report request respond retort retweet reveal ridicule say scoff
scold scream shout signal slam snap sniff speak specify speculate state stress suggest swear talk tell testify
thank threaten tout tweet underline underscore urge volunteer vow warn write yell
""")

# Nouns whose "that" clause or colon is reported speech ("the claim that ...", "Carrier's message: ...").
REPORTED_SPEECH_NOUNS = words("""
accusation allegation announcement argument assertion assurance claim comment complaint declaration denial
explanation message pledge prediction promise pronouncement remark statement suggestion testimony warning
""")

# Heads of descriptions of people and groups who speak without being sources, roles or organisations.
PEOPLE_HEADS = words("""
man woman men women people crowd audience protester demonstrator supporter critic opponent fan student
teacher parent child kid girl boy friend neighbor neighbour colleague host anchor reporter journalist
editor caller owner worker employee customer patient victim family relative politician defendant
plaintiff investigator agent researcher doctor nurse survivor activist conservative liberal
progressive donor backer ally rival father mother son daughter husband wife brother sister
organizer organiser participant attendee delegate candidate lawmaker user commenter blogger viewer
niece nephew cousin aunt uncle grandson granddaughter grandmother grandfather widow widower
""")

# Heads of texts that speak for whoever wrote or issued them ("the report said", "the post read").
DOCUMENT_HEADS = words("""
report statement letter memo email e-mail post tweet editorial ad advertisement release document
filing complaint lawsuit indictment transcript recording video message note sign website page
article story column survey poll study analysis resolution order ruling caption headline
headlines petition platform manifesto brief motion affidavit notice warning announcement
""")


def can_speak(head) -> bool:
    """Can the noun phrase headed by this token (a spaCy ``Token``) speak: a name, a personal pronoun,
    "who", a description of a person, a group or an organisation, or a text that speaks for them?"""
    lemma = head.lemma_.lower()
    if head.pos_ == "PRON":
        return head.lower_ in PERSONAL_PRONOUNS and head.lower_ != "it" or head.lower_ == "who"
    if head.ent_type_ in ("PERSON", "ORG", "NORP"):
        return True
    if head.pos_ == "PROPN":
        return head.ent_type_ not in ("LOC", "DATE", "TIME", "FAC", "EVENT", "WORK_OF_ART", "LAW")
    return any(lemma in heads for heads in (ANONYMOUS_HEADS, ROLE_HEADS, ORGANIZATION_HEADS, PEOPLE_HEADS,
                                            DOCUMENT_HEADS, SPEECH_NOUNS))
