"""Sign-in for a school: JupyterHub's NativeAuthenticator (people sign up; an administrator approves them on
/hub/authorize), with approval also making the user's locked, no-login Unix account (widgets/hub/accounts.py)."""
from __future__ import annotations

from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.handlers import ToggleAuthorizationHandler
from nativeauthenticator.orm import UserInfo

from . import accounts


class ApproveAndCreateAccount(ToggleAuthorizationHandler):
    """/hub/authorize/<name> (administrators only): toggle approval; on approval, make the Unix account."""

    async def get(self, slug):
        await super().get(slug)
        info = UserInfo.find(self.db, slug)
        if info is not None and info.is_authorized:
            accounts.ensure_user_account(slug)
            self.log.info("Approved %s and made the Unix account %s.", slug, accounts.unix_name(slug))


class CourseAuthenticator(NativeAuthenticator):
    """Native sign-up with administrator approval; names that cannot be a Unix account are refused."""

    def validate_username(self, username):
        return accounts.valid_name(username) and super().validate_username(username)

    def get_handlers(self, app):
        return [(path, ApproveAndCreateAccount if handler is ToggleAuthorizationHandler else handler)
                for path, handler in super().get_handlers(app)]
