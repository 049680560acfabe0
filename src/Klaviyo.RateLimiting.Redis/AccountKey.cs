namespace Klaviyo;

/// <summary>
/// Which Klaviyo account a request spends the quota of, as a name safe to store: the <see cref="Secret.Fingerprint"/>
/// (16 hex digits of SHA-256) of its authorization header value, never the credential itself. The one place that
/// reads the credential from a request.
/// </summary>
internal static class AccountKey
{
    /// <summary>The fingerprint of the request's credential, or <c>anonymous</c> when it carries none.</summary>
    /// <param name="request">The request.</param>
    public static string Of(KlaviyoRequest request) =>
        request.Authorization is { Length: > 0 } credential
            ? credential.Fingerprint()
            : "anonymous";
}
