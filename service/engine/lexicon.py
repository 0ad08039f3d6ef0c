"""Word lists the sieves and the speaker resolver share."""
from __future__ import annotations

# Lemmas of verbs that report speech or writing.
SPEECH_VERBS = frozenset("""
say tell add stress insist warn tweet write note explain ask reply argue claim declare announce state
continue recall remark acknowledge admit concede counter respond suggest urge call describe joke quip
complain lament predict promise vow pledge caution emphasize emphasise underline underscore confirm deny
observe comment post shout yell chant testify report conclude cite boast charge contend maintain muse
point recount reiterate scream sigh thunder whisper agree beg brag question wonder assert allege
advise answer blast brief demand disclose echo exclaim grumble hint inform interject mention object
plead proclaim protest reason rebut recommend reflect reject retort reveal rule scoff snap speak
summarize tout threaten told unveil utter voice announce declare characterize dismiss criticize praise
accuse lash slam thank concur posit preach decry mock ridicule pronounce sneer concede elaborate opine
quote quipped read brand label dub term scold chide rebuke lecture retweet pen sing rap
""".split())

# Verbs that report speech only with a particle or object ("pointed out", "put it").
PHRASAL_SPEECH = {"point": {"out"}, "put": {"it"}, "go": {"on"}, "sum": {"up"}}

# Nouns that carry speech as the subject of a verb or in "in a statement".
SPEECH_NOUNS = frozenset("""
statement remarks comment comments interview speech tweet post letter message note release email
""".split())

TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady prof prof. professor rev rev. gen gen. sen sen.
rep rep. gov gov. lt lt. col col. capt capt. sgt sgt. president vice prime minister chancellor senator
representative governor mayor secretary general judge justice king queen prince princess pope
ambassador chairman chairwoman chair ceo director commissioner sheriff officer spokesman spokeswoman
spokesperson former deputy acting chief first lady
""".split())

PERSONAL_PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "himself": "male",
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "they": "plural", "them": "plural", "their": "plural",
    "i": "self", "we": "plural", "you": "other", "it": "neuter",
}

# Heads of descriptions that stand for an unnamed source ("an Elysee official").
ANONYMOUS_HEADS = frozenset("""
official officials source sources spokesman spokeswoman spokesperson aide aides adviser advisers advisor
diplomat diplomats officer person people insider insiders analyst analysts staffer staffers member
members observer observers expert experts witness witnesses resident residents voter voters
""".split())

MALE_WORDS = frozenset("mr mr. sir lord king prince he him his father son brother husband man".split())
FEMALE_WORDS = frozenset("mrs mrs. ms ms. miss dame lady queen princess she her mother daughter sister wife woman".split())

# Heads of descriptions that stand for a person named elsewhere ("the French leader", "the senator").
ROLE_HEADS = frozenset("""
leader president senator minister candidate nominee governor chancellor mayor congressman
congresswoman lawmaker legislator envoy ambassador businessman businesswoman billionaire mogul
executive founder chairman chairwoman lawyer attorney judge general commander prosecutor secretary
premier monarch king queen prince pope chief director manager coach star actor actress singer
author writer historian economist scientist professor doctor veteran activist pastor
""".split())

# Heads of names of organisations ("the union", "the ministry").
ORGANIZATION_HEADS = frozenset("""
union ministry office government company campaign committee agency department council party court
police group administration commission board bank firm organization organisation association
coalition alliance embassy army military navy service network newspaper paper channel station
university institute foundation center centre team club league federation authority regulator
""".split())
