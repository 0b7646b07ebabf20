"""The stock message of each domain error (its docstring), marked for translation.

DomainError.message looks every message up in the catalog at the time it is shown; these are the
fixed ones. tests/unit/test_i18n.py checks that every DomainError subclass is listed here, and
tests/unit/test_refusal_messages.py that every literal text a domain error is raised with is too
(malformed-payload texts aside, which name the protocol's fields)."""


def N_(message: str) -> str:
    return message


DOMAIN_ERROR_MESSAGES = (
    N_("Something went wrong; try again."),
    N_("This self-assessment is not open for answers."),  # AssessmentClosedError
    # AssessmentFrozenError
    N_("This self-assessment has been answered; publish a new version to change its questions."),
    N_("No self-assessment has this code."),  # AssessmentNotFoundError
    N_("That answer is not on the question's scale."),  # InvalidAnswerError
    N_("No self-assessment has this personal code. Check it and try again."),  # UnknownResumeCodeError
    N_("The request is malformed."),  # BadPayloadError
    N_("The comment is longer than allowed."),  # CommentTooLongError
    N_("The consent text must be accepted before joining."),  # ConsentRequiredError
    # ConsentChangedError
    N_("The consent text changed while this page was open. Read it again below and agree to join."),
    N_("This framework version is used by a session and cannot change."),  # FrameworkInUseError
    N_("That change is not possible in the session's current state."),  # InvalidStateError
    N_("The value is outside the criterion's scale."),  # InvalidValueError
    N_("This skill is locked; answers can no longer change."),  # ItemLockedError
    N_("This skill is not open for answers yet."),  # ItemNotOpenError
    N_("You are not allowed to do this."),  # NotAuthorizedError
    N_("This session is closed; its results are read-only."),  # SessionClosedError
    N_("No session has this code."),  # SessionNotFoundError
    N_("This session is full. Ask the facilitator."),  # SessionFullError
    N_("Voting has not started yet."),  # SessionNotLiveError
    N_("This session has no such skill or criterion."),  # UnknownItemError
    N_("This participant token is unknown; join the session again."),  # UnknownParticipantError
    N_("Some fields are invalid."),  # ValidationError
    N_("The framework file has problems; `problems` lists all of them."),  # FrameworkFileError
    N_("The same item appears twice in the answer."),  # DuplicateItemError
    N_("Two items were given the same rank."),  # DuplicateRankError
    N_("Fewer items were ranked than the question asks for."),  # IncompleteRankingError
    N_("More points were spent than the budget holds."),  # OverBudgetError
    N_("Fewer items were chosen than the question asks for."),  # TooFewPicksError
    N_("More items were chosen than the question allows."),  # TooManyPicksError
    # ReasonRequiredError, and the two reasons services/rounds.py gives for it
    N_("This answer needs a short reason (the session's round rule); send it with the answer."),
    N_("This answer moves away from the group's median: please say why in a few words."),
    N_("This answer lies outside the group's middle half (IQR): please say why in a few words."),
    # Fixed messages the services raise (shown on phones and the dashboard)
    N_("This session has no such criterion."),
    N_("This session has no such skill."),
    N_("This session has no such question."),
    N_("Start the session before opening a skill."),
    N_("Start the session before opening a question."),
    N_("Only a live session's skills can be locked or unlocked."),
    N_("Only a live session's questions can be locked or unlocked."),
    N_("Re-votes happen in a live session."),
    N_("New rounds start in a live session."),
    N_("No item is left for a new round."),
    N_("List questions are fixed once voting starts."),
    N_("This question is locked: answers can no longer change."),
    N_("This question is not open yet."),
    N_("Nobody can have voted yet: show the question on the phones before revealing its results."),
    N_("Nobody is answering this skill yet: results can be revealed once it is on the phones."),
    N_("Nobody is answering this skill yet: show it on the phones before locking it."),
    N_("Nobody is answering this skill yet: show it on the phones before starting a new round."),
    N_("Choose at least one skill, each once."),
    N_("Sign in again."),
    N_("This connection was opened for another session: open that session's page."),
    N_("The projector only shows the session; run it from the dashboard."),
    N_("Open the question before locking it."),
    N_("Open the question before starting a new round."),
    N_("This session has no such comment."),
    N_("Comments go on the projector while the session is live."),
    N_("That comment is about another skill."),
    N_("Star a comment before putting it on the projector."),
    N_("Give a reason for the decision."),
    N_("Choose at least one session to export."),
    # An answer to a list question the phone's own page would not send (it checks first)
    N_("Pick at least one."),
    N_("Give at least one point."),
    N_("Points cannot be negative."),
    # Self-assessments: the facilitator's forms and the respondent's page
    N_("This self-assessment belongs to someone else."),
    N_("Give the self-assessment a title."),
    N_("Choose a framework that has skills."),
    N_("That skill is not in this framework version."),
    N_("This skill is not in this self-assessment."),
    N_("This question is not asked in this self-assessment."),
    # Refusals with values in them (templates, filled in after translation: DomainError)
    N_("%(label)s takes %(low)s to %(high)s."),
    N_("%(label)s must be a whole number from %(low)s to %(high)s."),
    N_("This session has no skill with id %(id)s."),
    N_("Pick exactly %(k)s."),
    N_("Pick at most %(k)s."),
    N_("Pick exactly %(k)s; %(left)s left to pick."),
    N_("How many to rank must be a whole number from 2 to %(n)s."),
    N_("Rank %(k)s skills, no more."),
    N_("Ranks run from 1 to %(k)s."),
    N_("Rank %(k)s skills; %(left)s still to place."),
    N_("Points given: %(spent)s; the budget: %(budget)s."),
    N_("Give exactly %(n)s anchors, one per line (got %(got)s)."),
    N_("A link must start with https:// or http:// (%(url)s)."),
    N_("“%(name)s” is a list of %(has)s; the file holds %(holds)s."),
    N_("List question %(number)s: %(problem)s"),
    N_("A %(state)s session cannot become %(target)s."),
    N_("A %(state)s self-assessment cannot become %(target)s."),
    N_("Unknown state %(state)r."),
    N_("%(state)r is not a state of a self-assessment."),
    N_("Choose one of: %(actions)s."),
    N_("Unknown question kind %(kind)r."),
    # Words filled into them (domain.errors.Word)
    N_("How many to pick"),
    N_("The share that makes a skill chosen (%)"),
    N_("The budget"),
)
