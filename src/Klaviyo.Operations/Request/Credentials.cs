using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// What a credential looks like, so a careless one is put right or refused before it is sent: a key pasted with its
/// scheme (<c>Klaviyo-API-Key pk_…</c>) is used without it, a public key (six characters, for the client API) or an
/// API key given as an access token is refused with a message saying what to do. Pure; messages never show the value.
/// </summary>
internal static class Credentials
{
    /// <summary>The credential without a scheme the user pasted along with it, trimmed.</summary>
    /// <param name="value">The value as given.</param>
    /// <param name="scheme">The scheme the library adds itself.</param>
    public static string Bare(string value, string scheme)
    {
        var trimmed = value.Trim();
        return trimmed.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase)
            ? trimmed[(scheme.Length + 1)..].Trim()
            : trimmed;
    }

    /// <summary>The problems with the options' credentials.</summary>
    /// <param name="options">The options.</param>
    public static Seq<string> Problems(KlaviyoOptions options)
    {
        var problems = Seq<string>();
        if (options.ApiKey is { } key)
        {
            var bare = Bare(key.Reveal(), "Klaviyo-API-Key");
            if (bare.Length == 0)
                problems = problems.Add("the API key is blank");
            else if (IsPublicKey(bare))
                problems = problems.Add(
                    "the API key looks like a public key (6 characters, the company_id of the client API); the private API calls need a private key, which starts with pk_"
                );
        }
        if (options.AccessToken is { } token)
        {
            var bare = Bare(token.Reveal(), "Bearer");
            if (bare.Length == 0)
                problems = problems.Add("the access token is blank");
            else if (bare.StartsWith("pk_", StringComparison.Ordinal))
                problems = problems.Add(
                    "the access token looks like a private API key (pk_…); give it as the API key instead (KLAVIYO_API_KEY for the CLI)"
                );
        }
        return problems;
    }

    // Klaviyo's public API keys (site ids) are six letters and digits.
    private static bool IsPublicKey(string key) =>
        key.Length == 6 && key.All(char.IsAsciiLetterOrDigit);
}
