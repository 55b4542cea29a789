"""Every ORM model, imported in one place so Alembic and tests see the whole schema."""
from dongcheng.audit.models import AuditEntry  # noqa: F401
from dongcheng.auth.models import ApiToken, User  # noqa: F401
from dongcheng.calendar.models import ScheduleDay  # noqa: F401
from dongcheng.commissioners.models import Commissioner, FundApplication, MonthlyRating, StreetRetirees  # noqa: F401
from dongcheng.core.db import Base  # noqa: F401
from dongcheng.core.outbox import OutboxMessage  # noqa: F401
from dongcheng.directory.models import Person, PortfolioEntry, Post, Tenure, Unit  # noqa: F401
from dongcheng.emergency.checklists.models import ChecklistItem, ChecklistItemChange, DisposalChecklist  # noqa: F401
from dongcheng.emergency.command_posts.models import CheckIn, CommandPost, LogEntry, Task, WorkingGroup  # noqa: F401
from dongcheng.emergency.incidents.models import Deadline, Incident, IncidentLead, LevelChange, Report  # noqa: F401
from dongcheng.emergency.recovery.models import InsuranceClaim, LossReport, MeritEntry, Recovery, ReliefRecord  # noqa: F401
from dongcheng.emergency.statements.models import Statement  # noqa: F401
from dongcheng.emergency.warnings.models import Delivery, EarlyWarning, Subscriber, WarningMessage  # noqa: F401
from dongcheng.gazette.models import GazetteClause, GazetteDocument, GazetteIssue, GazetteTocEntry  # noqa: F401
from dongcheng.heritage.models import HeritageBatch, HeritageItem  # noqa: F401
from dongcheng.incubators.models import IncubatorApplication, IncubatorEvent, IncubatorReport  # noqa: F401
from dongcheng.reference.models import DataVersion, EventType, EventTypeLead, Plan, ReferenceItem  # noqa: F401
