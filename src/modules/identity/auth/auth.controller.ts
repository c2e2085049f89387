import { randomUUID } from 'node:crypto';

import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { Public, Roles } from '../../../platform/auth/auth.decorators';
import type { CommandContext } from '../../../platform/commands/command-context';
import { AuthenticatedRequest, commandContext, EmptyBody } from '../../../platform/http/command-http';
import { ActivateAccount } from '../activation/activate-account';
import { changePasswordBodySchema, forgotPasswordBodySchema, loginBodySchema, tokenPasswordBodySchema } from '../identity.schemas';
import { Login } from '../login/login';
import { passwordRulesDescription } from '../password-policy.rules';
import { ChangePassword } from '../passwords/change-password';
import { ForgotPassword } from '../passwords/forgot-password';
import { ResetPassword } from '../passwords/reset-password';
import { SessionStore } from '../sessions/session-store';

class LoginBody extends createZodDto(loginBodySchema) {}
class ForgotPasswordBody extends createZodDto(forgotPasswordBodySchema) {}
class TokenPasswordBody extends createZodDto(tokenPasswordBodySchema) {}
class ChangePasswordBody extends createZodDto(changePasswordBodySchema) {}

const RULES = `Règles du mot de passe : ${passwordRulesDescription.join(' ; ')}.`;

/** « Compte famille » : connexion, déconnexion, mot de passe (changement, oubli, activation). */
@ApiTags('Connexion')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly loginUseCase: Login,
    private readonly sessions: SessionStore,
    private readonly changePasswordUseCase: ChangePassword,
    private readonly forgotPassword: ForgotPassword,
    private readonly resetPassword: ResetPassword,
    private readonly activateAccount: ActivateAccount,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Se connecter avec son identifiant et son mot de passe ; renvoie un jeton de session (Bearer)' })
  login(@Body() body: LoginBody, @Req() rq: AuthenticatedRequest) {
    return this.loginUseCase.execute(body.login, body.password, sourceOf(rq));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @Roles('parent', 'staff', 'auditor', 'admin')
  @ApiOperation({ summary: 'Se déconnecter : la session est close côté serveur' })
  async logout(@Body() _body: EmptyBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    if (rq.principal.sessionId) await this.sessions.revoke(rq.principal.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @Roles('parent', 'staff', 'auditor', 'admin')
  @ApiOperation({ summary: 'Le compte connecté' })
  me(@Req() rq: AuthenticatedRequest) {
    const { sessionId: _s, ...principal } = rq.principal;
    return principal;
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @Roles('parent', 'staff', 'auditor', 'admin')
  @ApiOperation({ summary: `Changer de mot de passe (les autres sessions sont closes). ${RULES}` })
  async changePassword(@Body() body: ChangePasswordBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.changePasswordUseCase.execute(rq.principal, body.currentPassword, body.newPassword, sourceOf(rq), commandContext(rq));
  }

  @Post('password/forgot')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Mot de passe oublié : un lien est envoyé à l’adresse e-mail connue, si le compte existe (même réponse sinon)' })
  async forgot(@Body() body: ForgotPasswordBody) {
    await this.forgotPassword.execute(body.login);
    return {
      message:
        'Si cet identifiant correspond à un compte actif, un lien de réinitialisation a été envoyé à l’adresse e-mail indiquée à votre collectivité.',
    };
  }

  @Post('password/reset')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: `Choisir un nouveau mot de passe avec le lien reçu (toutes les sessions sont closes). ${RULES}` })
  async reset(@Body() body: TokenPasswordBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.resetPassword.execute(body.login, body.token, body.password, anonymousContext(rq));
  }

  @Post('activate')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: `Activer son compte avec le lien reçu et choisir son mot de passe. ${RULES}` })
  async activate(@Body() body: TokenPasswordBody, @Req() rq: AuthenticatedRequest): Promise<void> {
    await this.activateAccount.execute(body.login, body.token, body.password, anonymousContext(rq));
  }
}

/** The client address brute-force limits count against (the socket's; set `trust proxy` behind a proxy). */
export function sourceOf(rq: AuthenticatedRequest): string {
  return rq.ip ?? rq.socket.remoteAddress ?? 'unknown';
}

/** Token endpoints act for the link's holder, who is not logged in. */
function anonymousContext(rq: AuthenticatedRequest): CommandContext {
  return { principal: { userId: 'anonymous', role: 'anonymous' }, correlationId: rq.id ?? randomUUID() };
}
