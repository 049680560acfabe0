namespace Klaviyo;

/// <summary>
/// Which Klaviyo account a request spends the quota of, as a name safe to store: the <see cref="Secret.Fingerprint"/>
/// (16 hex digits of SHA-256) of its <c>authorization</c> header value, never the credential itself. The one place
/// that reads the credential from a request, so it can follow the request's shape when that changes.
/// </summary>
internal static class AccountKey
{
    /// <summary>The fingerprint of the request's credential, or <c>anonymous</c> when it carries none.</summary>
    /// <param name="request">The request.</param>
    public static string Of(KlaviyoRequest request) =>
        request
            .Header("authorization")
            .Filter(v => v.Length > 0)
            .Map(v => Secret.Of(v).Fingerprint())
            .IfNone("anonymous");
}
