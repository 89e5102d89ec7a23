"""Practitioner-like free text for synthetic casebooks: templates filled from small word lists.

Every sentence speaks of "the young person" or "they": no names, dates of birth, addresses or
police references, so the output is safe to share and to commit. Sentences are drawn up front
into pools (a few hundred per kind) from one seeded generator; notes then pick from the pools,
which keeps a 10,000-case casebook fast to write while its text stays varied.
"""

from __future__ import annotations

import random

SLOTS: dict[str, list[str]] = {
    "place": ["a youth centre", "the family home", "a cafe in the town centre", "the YOS office",
              "college", "a community centre", "the boxing gym", "a park near home",
              "the probation office", "a fast food restaurant they chose", "the library",
              "a friend's doorstep", "the football cage", "a supported lodging"],
    "when": ["next week", "in a fortnight", "on Friday", "after the weekend", "within ten days",
             "once their exams finish", "at the end of the month", "before the next tasking"],
    "offer": ["the boxing programme", "help with a CSCS card", "a mentor", "college courses",
              "driving lessons", "housing advice", "debt advice", "a place on a bike mechanics "
              "course", "the music studio sessions", "support for their family"],
    "feeling": ["worried", "angry", "anxious", "relieved", "embarrassed", "hopeful", "tired",
                "frustrated", "scared", "unsure"],
    "issue": ["debts owed to older peers", "being stopped by police", "their younger brother",
              "going back to college", "their mum's health", "sleeping badly",
              "travelling across town", "an upcoming court date", "money at home",
              "being seen talking to workers"],
    "consequence": ["the likelihood of a custodial sentence", "the risk of serious injury",
                    "losing their tenancy", "the effect on their family", "a criminal record "
                    "ending their plans for work", "a civil order limiting where they can go"],
    "demeanour": ["guarded", "calm", "agitated", "polite but firm", "distracted", "hostile",
                  "tired", "quiet"],
    "relative": ["their mother", "an older sibling", "their grandmother", "a carer",
                 "their partner", "their father", "an aunt"],
    "activity": ["boxing", "football", "the mechanics workshop", "the music studio", "the gym",
                 "a CV workshop", "a cooking group", "a first aid course", "a fishing trip",
                 "a mentoring session"],
    "progress": ["arrived on time and stayed to the end", "left early but came back the next "
                 "day", "took the lead in a small group", "was quieter than usual",
                 "asked to come twice a week", "brought a friend who is also on the programme",
                 "struggled with the group but stayed"],
    "topic": ["the college application", "a benefits claim", "sleep and routine",
              "staying away from the town centre at night", "a debt to an older peer",
              "the housing register", "their court date", "getting a provisional licence",
              "bank account paperwork", "how things are at home"],
    "action": ["agreed to bring documents next time", "worker to chase the referral",
               "they will call the provider themselves", "a joint visit is arranged",
               "they asked for help writing an email", "mentor to follow up on Friday",
               "no further action needed for now"],
    "event": ["an incident in the town centre", "a missed appointment", "a report from their "
              "family", "a concern raised by college", "an assault on a peer",
              "intelligence about a threat", "a night away from home"],
    "agency": ["youth justice", "children's social care", "probation", "the school",
               "housing", "the health team", "community safety", "a voluntary sector partner"],
    "tactic_detail": ["bail conditions checked at home on varied evenings",
                      "vehicle stopped and seized for no insurance",
                      "warrant executed; items seized", "tenancy warning letter issued",
                      "licensing visit to the premises they frequent",
                      "benefit entitlement referred for review",
                      "licence conditions reinforced at probation appointments",
                      "community protection warning served"],
    "reason": ["continued involvement in street violence", "links to a county line operating "
               "in the area", "carrying a bladed article", "violence towards peers",
               "exploitation of younger children", "possession of weapons"],
    "strength": ["good with their hands", "funny and quick to make friends",
                 "protective of their younger siblings", "a strong boxer", "good at maths",
                 "loyal", "determined once they set their mind to something",
                 "a natural at explaining things", "calm under pressure", "good with music"],
    "aspiration": ["work on building sites", "become a mechanic", "get my own flat",
                   "be a barber", "go to college", "get my driving licence", "work in a gym",
                   "make music properly", "be a chef", "start my own business",
                   "be there for my little sister", "join the army"],
    "enjoys": ["boxing", "football", "cooking", "fixing bikes", "making music",
               "going to the gym", "gaming with my cousins", "fishing", "drawing",
               "being with my nan", "driving", "basketball"],
    "provider_kind": ["the housing team", "the drug and alcohol service", "the boxing club",
                      "the college", "the mental health team", "the mentoring scheme",
                      "the debt advice service", "the family support team"],
}

TEMPLATES: dict[str, list[str]] = {
    "explain_engaged": [
        "Met at {place} as arranged.",
        "Delivered all four messages; they listened and asked about {offer}.",
        "They agreed to take part and to meet again {when}.",
        "They said they were {feeling} about {issue}.",
        "Explained that they are now a police priority and what that means.",
        "They asked whether {relative} could come to the next meeting.",
        "Talked through {consequence}; they said they had already thought about it.",
        "They want help with {topic} first.",
    ],
    "explain_declined": [
        "Met at {place}.",
        "They listened to the concern but said they do not want police involvement.",
        "Consequences explained, including {consequence}.",
        "They declined the offer; told the door stays open.",
        "They appeared {demeanour} and ended the conversation early.",
        "They said they could sort out {issue} themselves.",
        "Disruption plan to be discussed at the next tasking.",
    ],
    "no_contact": [
        "No answer at the door; a card was left.",
        "Phone switched off; message left with {relative}.",
        "Not at the agreed meeting point; will try again {when}.",
        "Visited {place} but they were not there.",
        "Message passed through {agency} asking them to get in touch.",
    ],
    "undecided": [
        "They listened to all four messages and asked for time to think.",
        "They are {feeling} about what friends will say if they take part.",
        "They showed interest in {offer} but would not commit.",
        "Agreed to meet again {when} to talk it through.",
        "Met at {place}; {relative} was present for part of the conversation.",
    ],
    "revisit_declined": [
        "Revisit during the disruption plan; offer repeated.",
        "They still do not want to take part.",
        "Reminded them that enforcement will continue while they decline.",
        "They appeared {demeanour}.",
        "They mentioned {issue} but would not discuss it further.",
    ],
    "revisit_engaged": [
        "Revisit during the disruption plan; offer repeated.",
        "They said they were tired of the attention and want to try the programme.",
        "They asked about {offer}.",
        "Agreed to a first needs assessment {when}.",
        "Disruption plan to close; enforcement lead informed.",
    ],
    "support": [
        "Attended {activity}; {progress}.",
        "Discussed {topic}; {action}.",
        "They said they are {feeling} about {issue}.",
        "Met at {place} for a catch-up.",
        "Reviewed progress on the plan together.",
        "Mentor present for part of the session.",
        "Looked at next steps with {offer}.",
    ],
    "welfare": [
        "Welfare check after {event}.",
        "They were safe and well and did not want to talk about it.",
        "Spoke with {relative}, who shared some worries.",
        "Information shared with {agency} under the agreement.",
        "Safety plan reviewed with them.",
    ],
    "rationale_include": [
        "High and rising dashboard score with recent violence.",
        "Partners share concerns about {reason}.",
        "Agreed the young person is likely to benefit from the offer.",
        "Youth justice report a good relationship with a former worker.",
        "Family are supportive of an approach.",
        "Recent intelligence links them to {reason}.",
    ],
    "rationale_not": [
        "Already well supported through an existing youth justice order.",
        "Dashboard score driven by one historic incident.",
        "Partners agree a lighter-touch response is proportionate.",
        "Now living outside the force area.",
        "Current risk is low and falling.",
    ],
    "rationale_defer": [
        "Awaiting information from {agency}.",
        "Court outcome due before the next meeting.",
        "Partners want to see the next dashboard refresh.",
        "Defer to the next meeting while {agency} complete their assessment.",
    ],
    "partner": [
        "Known to {agency}; concerns about {reason}.",
        "Missing episodes reported over the last quarter.",
        "School attendance has dropped sharply.",
        "Family have asked for help.",
        "Open to {agency} with a plan in place.",
        "Recent concerns about {issue}.",
    ],
    "relationship": [
        "Worked with them on a previous order and they got on well.",
        "Youth worker with lived experience who knows the estate.",
        "Coached them at football when they were younger.",
        "Known to the family through {agency}.",
    ],
    "disruption_reason": [
        "Declined the offer and intelligence shows {reason}.",
        "Continued risk to peers from {reason}.",
        "Enforcement to encourage engagement, reviewed every four weeks.",
    ],
    "tactic_note": ["{tactic_detail}.", "Partners briefed on the plan.",
                    "Activity kept proportionate and recorded."],
    "review_continue": [
        "Intelligence still shows {reason}.",
        "Enforcement remains proportionate for now.",
        "They were revisited this month and still decline.",
        "No change in risk since the last review.",
    ],
    "review_amend": [
        "Reduce enforcement to bail checks only.",
        "Add a partner agency tactic.",
        "Risk is lower; scale back the plan.",
    ],
    "review_stop": [
        "No intelligence of violence for two months.",
        "Enforcement is no longer proportionate.",
        "Keep the offer open through {agency}.",
    ],
    "closure": [
        "Person engaged at a revisit.",
        "Enforcement no longer proportionate; offer left open.",
        "All tactics stood down and partners informed.",
    ],
    "intervention_note": [
        "Referral discussed with them first.",
        "Waiting list of about six weeks.",
        "They attended the first session.",
        "Provider asked for a joint visit.",
        "Stopped attending after two sessions.",
    ],
    "tag_note": [
        "They say the tag helps them say no to going into town.",
        "No breaches of the agreed zones.",
        "Agreed to keep the tag for another month.",
        "They feel ready to go without it.",
    ],
    "programme_review": [
        "Good progress across most of the plan.",
        "Plan amended after the latest needs review.",
        "Engagement has dropped; mentor to increase contact.",
        "Ready to plan exit over the next quarter.",
    ],
    "exit_plan": [
        "Keep going to {activity} and stay in touch with the mentor.",
        "Signposted to community support for the longer term.",
        "Family know who to call if things change.",
        "College tutor aware and will flag any concerns.",
        "Stay with the housing provider and keep up rent payments.",
    ],
    "signpost": [
        "Ongoing help with {topic}.",
        "Somewhere to go if things get difficult.",
        "Help with {issue} after the programme.",
        "Keeping up {activity}.",
        "Support for the family.",
    ],
    "feedback": [
        "The mentor was the best part.",
        "I didn't trust it at first but it helped.",
        "Having someone to ring made a difference.",
        "I got my card and I'm working now.",
        "It was too many meetings at the start.",
        "I would tell my friends to do it.",
    ],
    "evaluation": [
        "Sustained reduction in needs scores across most domains.",
        "No further violence recorded during the programme.",
        "Engagement was strongest with the mentor and {activity}.",
        "Exit planned and well supported.",
        "Outcome limited by {issue}.",
        "Lessons for the approach stage shared at the partnership meeting.",
    ],
    "evaluation_partial": [
        "Some early progress on the plan.",
        "Engagement fell away after {event}.",
        "Outcome limited by {issue}.",
        "Mentor relationship was the strongest part of their time on the programme.",
        "Offer left open should circumstances change.",
    ],
    "retention": [
        "Record still needed for the programme evaluation.",
        "Linked intelligence still current; retain for a further period.",
        "Reviewed under MoPI; retention remains necessary and proportionate.",
    ],
    "views": [
        "They feel {feeling} about this area.",
        "They think things are getting better.",
        "They do not see this as a problem.",
        "Assessor thinks this needs more support.",
        "They want help with this first.",
        "Assessor and they agree on the score.",
        "They scored themselves higher than the assessor would.",
    ],
    "part2_aspirations": ["I want to {aspiration}.", "One day I'd like to {aspiration}.",
                          "I want to {aspiration} and look after my family.",
                          "In a year I want to {aspiration}."],
    "part2_enjoys": ["I like {enjoys}.", "I enjoy {enjoys} and {enjoys}.",
                     "{Enjoys} is what keeps me calm."],
    "part2_strengths": ["People say I'm {strength}.", "I'm {strength}.",
                        "My mentor says I'm {strength}."],
}

# Part 1 facts per needs domain, low (1-4), middle (5-7) and high (8-10) scores.
DOMAIN_FACTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "accommodation": (
        ["Sofa surfing between friends.", "Asked to leave the family home last month.",
         "Staying in emergency accommodation."],
        ["Living with family; some arguments at home.", "On the housing register."],
        ["Settled tenancy with support.", "Stable at home with family."]),
    "education-training-employment": (
        ["Not in education, training or work.", "Excluded from school this year.",
         "Lost a job after missed shifts."],
        ["Attending college part time.", "Applying for apprenticeships."],
        ["In full-time work.", "On a college course and attending well."]),
    "finances": (
        ["Owes money to older peers.", "No bank account or income.",
         "Benefits stopped after missed appointments."],
        ["Some income; struggles at the end of the month.", "Benefit claim in progress."],
        ["Managing a budget with a bank account.", "Regular wage and no debts."]),
    "mental-health": (
        ["Reports poor sleep and low mood.", "Previous self-harm disclosed.",
         "Anxious in crowded places."],
        ["Waiting for a counselling appointment.", "Mood better on most days."],
        ["Seeing a counsellor and finding it useful.", "No current concerns."]),
    "wellness": (
        ["Not registered with a GP.", "Poor diet and little sleep."],
        ["Registered with a GP; dental treatment outstanding.", "Sleeping better."],
        ["Training regularly and eating well.", "Looking after their health."]),
    "substance-use": (
        ["Daily cannabis use.", "Drinking heavily at weekends.",
         "Holding drugs for others."],
        ["Cannabis use cut to weekends.", "Engaged with the drug and alcohol service."],
        ["No current use reported.", "Stopped using since starting training."]),
    "managing-strong-feelings": (
        ["Recent fights with peers.", "Quick to anger when challenged."],
        ["Walked away from two recent arguments.", "Using techniques from sessions."],
        ["Handles conflict calmly.", "No incidents reported by family or college."]),
    "thinking-and-behaviour": (
        ["Sees carrying a knife as protection.", "Acts on impulse with friends."],
        ["Can describe the risks of carrying weapons.", "Thinking before acting more often."],
        ["Plans ahead and weighs consequences.", "Talks openly about past choices."]),
    "family-and-relationships": (
        ["Relationship with parents has broken down.", "Older sibling involved in offending."],
        ["Back in touch with their father.", "Some tension at home."],
        ["Good relationships at home.", "Supportive partner and family."]),
    "positive-influences": (
        ["Friendship group involved in violence.", "No trusted adult named."],
        ["Spending more time with a cousin in work.", "Mentor seen as a trusted adult."],
        ["New friends through the boxing club.", "Strong trusted adults around them."]),
    "positive-use-of-time": (
        ["Days unstructured; out late most nights.", "Nothing to do during the day."],
        ["Attending two activities a week.", "Some structure from college."],
        ["Full week of work and training.", "Volunteering at the youth club."]),
    "safety-from-exploitation": (
        ["Linked to a county line by intelligence.", "Found in another town with cash.",
         "Owes a drug debt."],
        ["Fewer missing episodes.", "Phone changed and old contacts blocked."],
        ["No exploitation concerns for some months.", "Feels safe in their area."]),
}


# Said of a milestone to tell apart the steps of one goal.
MILESTONE_QUALIFIERS = ["", "", " with the mentor", " with the key worker", " on their own",
                        " before the next review", " with a parent"]

# Goals and milestones per needs domain, so a plan answers the assessment's lowest scores.
DOMAIN_GOALS: dict[str, tuple[list[str], list[str]]] = {
    "accommodation": (["Find stable accommodation.", "Stay in the supported lodging."],
                      ["Complete the housing application.", "Attend the housing options "
                       "appointment.", "View the shared flat with the key worker."]),
    "education-training-employment": (
        ["Get onto a course at college by the autumn.", "Get a part-time job."],
        ["Attend the college open day.", "Finish the CV with the mentor.",
         "Hand in the job application.", "Start the CSCS card course."]),
    "finances": (["Clear the debt and stay clear of the people it was owed to.",
                  "Manage money week to week."],
                 ["Open a bank account.", "Meet the debt adviser.",
                  "Set up the benefit claim."]),
    "mental-health": (["Feel less anxious day to day.", "Get help with sleep and mood."],
                      ["Attend the first counselling appointment.",
                       "Talk to the GP about sleep.", "Try the wellbeing app for a month."]),
    "wellness": (["Register with a GP and a dentist.", "Get fitter and eat better."],
                 ["Book the GP registration.", "Attend the dental appointment.",
                  "Join the gym induction."]),
    "substance-use": (["Cut down cannabis use.", "Stop drinking during the week."],
                      ["Meet the drug and alcohol worker.", "Keep a use diary for two weeks.",
                       "Attend the group session."]),
    "managing-strong-feelings": (["Manage anger without fighting.",
                                  "Walk away when things get heated."],
                                 ["Complete the anger management sessions.",
                                  "Practise the breathing technique with the mentor.",
                                  "Attend three boxing sessions."]),
    "thinking-and-behaviour": (["Stop carrying a knife.", "Think before acting with friends."],
                               ["Complete the weapons awareness session.",
                                "Talk through a recent incident with the mentor.",
                                "Attend the consequences workshop."]),
    "family-and-relationships": (["Rebuild things with family at home.",
                                  "Spend more time with their younger brother."],
                                 ["Attend a family mediation session.",
                                  "Family meal once a week for a month.",
                                  "Joint meeting with parent and worker."]),
    "positive-influences": (["Spend time with friends who are not involved in offending.",
                             "Have a trusted adult to call."],
                            ["Meet the mentor every week for a month.",
                             "Join the youth club evening.", "Name three people to call."]),
    "positive-use-of-time": (["Train at the boxing club twice a week.",
                              "Have something to do every weekday."],
                             ["Attend three boxing sessions.", "Start the music studio course.",
                              "Complete the first aid course."]),
    "safety-from-exploitation": (["Stay out of the town centre at night.",
                                  "Be free of the people who exploited them."],
                                 ["Change phone number and block old contacts.",
                                  "Agree a safety plan with the worker.",
                                  "Keep to the agreed curfew for a month."]),
}


def _fill(template: str, rng: random.Random) -> str:
    """Fill each {slot} of a template from SLOTS, never the same word twice in one sentence."""
    out = template
    used: set[str] = set()
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        name = out[start + 1:end]
        words = SLOTS[name.lower()]
        word = rng.choice(words)
        while word in used:
            word = rng.choice(words)
        used.add(word)
        if name[0].isupper():
            word = word[0].upper() + word[1:]
        out = out[:start] + word + out[end + 1:]
    return out


def build_pools(rng: random.Random, variants: int = 40) -> dict[str, list[list[str]]]:
    """Per kind of note, each template's filled variants, in the templates' narrative order."""
    return {kind: [sorted({_fill(t, rng) for _ in range(variants)}) if "{" in t else [t]
                   for t in templates]
            for kind, templates in TEMPLATES.items()}
