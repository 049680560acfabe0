using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The forms in which a set of secret values is looked for in free text (see
/// <see cref="Redaction.Scrub(string, Seq{string})"/>), worked out once: each secret as it is, JSON-escaped,
/// percent-encoded (upper- and lower-case hex) and form-encoded. A scope scrubs many strings (every path segment,
/// query name and value, header); computing the encoded forms once per scope instead of once per string is what
/// keeps scrubbing clean text free of allocations.
/// </summary>
internal sealed class SecretForms
{
    /// <summary>No secrets: <see cref="Scrub"/> returns its input.</summary>
    public static readonly SecretForms None = new([]);

    private readonly Form[] _forms;

    private SecretForms(Form[] forms) => _forms = forms;

    private sealed class Form(string value)
    {
        private string[]? _jsonEscaped;
        private string[]? _encoded;

        public string Value { get; } = value;

        // Percent- and form-encoded forms, in the order they are replaced; empty when encoding changes nothing. Made
        // on first use: only text holding a '%' or a '+' can contain one.
        public string[] Encoded => _encoded ??= EncodedForms(Value);

        // Made on first use: only text holding a backslash needs them.
        public string[] JsonEscaped => _jsonEscaped ??= Redaction.JsonEscapedForms(Value);
    }

    /// <summary>The forms of <paramref name="secrets"/>, longest secret first.</summary>
    /// <param name="secrets">The secret values (shorter than 4 characters are ignored, as in scrubbing).</param>
    public static SecretForms Of(Seq<string> secrets)
    {
        if (secrets.IsEmpty)
            return None;
        // Longest first (a stable order): a secret that contains another would otherwise be cut by the shorter one's
        // mask and left partly in clear.
        var kept = new List<string>(secrets.Count);
        foreach (var s in secrets)
            if (s is not null && s.Length >= 4)
                kept.Add(s);
        if (kept.Count == 0)
            return None;
        var forms = new Form[kept.Count];
        for (var i = 0; i < forms.Length; i++)
        {
            // Insertion by length, longest first; equal lengths keep their order (as a stable sort would).
            var at = i;
            while (at > 0 && forms[at - 1].Value.Length < kept[i].Length)
            {
                forms[at] = forms[at - 1];
                at--;
            }
            forms[at] = new Form(kept[i]);
        }
        return new SecretForms(forms);
    }

    /// <summary>Whether there is nothing to look for.</summary>
    public bool IsEmpty => _forms.Length == 0;

    /// <summary>
    /// <paramref name="text"/> with every form of every secret replaced by <see cref="Redaction.Mask"/>; the same
    /// instance when there is none.
    /// </summary>
    /// <param name="text">The text.</param>
    public string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        // string.Replace returns the same instance when there is nothing to replace: no copy for clean text.
        foreach (var form in _forms)
        {
            text = text.Replace(form.Value, Redaction.Mask, StringComparison.Ordinal);
            if (text.Contains('\\'))
                foreach (var escaped in form.JsonEscaped)
                    text = text.Replace(escaped, Redaction.Mask, StringComparison.Ordinal);
            // Every encoded form holds a '%' escape, or a '+' for a space: text with neither holds none of them.
            if (text.AsSpan().IndexOfAny('%', '+') >= 0)
                foreach (var encoded in form.Encoded)
                    text = text.Replace(encoded, Redaction.Mask, StringComparison.Ordinal);
        }
        return text;
    }

    // As a server may echo a query or a form body: percent-encoded with upper- or lower-case hex, and with '+' for
    // spaces. None when the secret is not well-formed Unicode or encodes to itself.
    private static string[] EncodedForms(string secret)
    {
        if (!PercentEncoding.IsWellFormed(secret))
            return [];
        var encoded = PercentEncoding.Encode(secret);
        if (ReferenceEquals(encoded, secret) || encoded == secret)
            return [];
        var forms = new List<string>(4) { encoded };
        var lowerHex = Redaction.LowerHex(encoded);
        if (lowerHex != encoded)
            forms.Add(lowerHex);
        if (encoded.Contains("%20", StringComparison.Ordinal))
        {
            forms.Add(encoded.Replace("%20", "+"));
            forms.Add(lowerHex.Replace("%20", "+"));
        }
        return forms.ToArray();
    }
}
