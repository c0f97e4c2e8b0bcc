package dev.gridserve.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API key; its name ({@code key:NAME}) is what the audit trail records. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {
    private final ApiKeys.Owner owner;

    ApiKeyAuthentication(ApiKeys.Owner owner) {
        super(owner.role().authorities());
        this.owner = owner;
        setAuthenticated(true);
    }

    @Override
    public String getName() {
        return "key:" + owner.name();
    }

    @Override
    public Object getPrincipal() {
        return owner;
    }

    @Override
    public Object getCredentials() {
        return null; // the key itself is never kept
    }
}
