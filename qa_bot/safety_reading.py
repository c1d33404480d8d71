"""What the safety checks read in a question (`SafetyCheck`), and the reviewed notices it gets."""

from __future__ import annotations

from dataclasses import dataclass

from .notices import Notice, NoticeKind
from .texts import texts

# The texts.toml key a pattern group names as its `message`, and the kind of notice it is.
NOTICE_KINDS: dict[str, NoticeKind] = {"emergency": "emergency", "self_harm_crisis": "crisis"}


@dataclass(frozen=True)
class SafetyCheck:
    """What a question describes: emergency groups matched (in file order) and whether it asks for advice."""

    emergencies: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    personal_advice: bool = False

    @property
    def urgent(self) -> bool:
        """True when the question describes an emergency or a crisis happening now."""
        return bool(self.emergencies)

    def notices(self) -> tuple[Notice, ...]:
        """The reviewed notices, emergency and crisis texts first, then the advice notice."""
        shown = [Notice(NOTICE_KINDS[key], getattr(texts(), key)) for key in self.messages]
        if self.personal_advice:
            shown.append(Notice("personal_advice", texts().personal_advice))
        return tuple(dict.fromkeys(shown))

    def flags(self) -> tuple[str, ...]:
        """Short labels for logs: the emergency group names, and `personal advice`."""
        return self.emergencies + (("personal advice",) if self.personal_advice else ())
