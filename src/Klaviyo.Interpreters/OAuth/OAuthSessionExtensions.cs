namespace Klaviyo;

/// <summary>Attaching an <see cref="OAuthSession"/> to options.</summary>
public static class OAuthSessionExtensions
{
    /// <summary>
    /// These options with <paramref name="session"/> authorizing every request: the session is added to
    /// <see cref="ClientOptions.Wrappers"/> (after any already there), so it sits outside retrying and rate
    /// limiting — they see the bearer token, and the refresh and the resend after a <c>401</c> go through them like any
    /// request. Refreshes are built with these options (host, port, protocol, base path, timeout) and sent through the
    /// chain the session wraps, down to <see cref="KlaviyoOptions.Client"/>. Any <see cref="KlaviyoOptions.ApiKey"/> or
    /// <see cref="KlaviyoOptions.AccessToken"/> is replaced on the wire by the session's token.
    /// </summary>
    /// <example><code>
    /// var options = new KlaviyoOptions { Retry = Retry.Exponential }.WithOAuthSession(session);
    /// </code></example>
    /// <param name="options">The options.</param>
    /// <param name="session">The session.</param>
    public static KlaviyoOptions WithOAuthSession(this KlaviyoOptions options, OAuthSession session)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(session);
        var origin = options;
        return options with
        {
            ClientOptions = options.ClientOptions with
            {
                Wrappers = options.ClientOptions.Wrappers.Add(inner => session.Wrap(inner, origin)),
            },
        };
    }
}
