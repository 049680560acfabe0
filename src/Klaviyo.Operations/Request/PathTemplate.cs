using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Expands a path template such as <c>/api/profiles/{id}</c>, each parameter as exactly one segment.</summary>
public static class PathTemplate
{
    /// <summary>
    /// Expands <paramref name="template"/> with <paramref name="values"/> in the order the parameters appear,
    /// and returns the operation. Never throws: a null, empty, <c>.</c> or <c>..</c> value, or one that is not
    /// well-formed Unicode, is recorded in <see cref="RequestOperation.Problems"/>, and so is a malformed template (a
    /// null one, an unclosed <c>{</c>, a <c>}</c> without a <c>{</c>, an empty <c>{}</c>, a <c>{</c> inside a
    /// placeholder, more or fewer values than placeholders). Any problem makes building the operation a validation
    /// error, so such a path is never sent.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="template">The path template with <c>{name}</c> placeholders.</param>
    /// <param name="values">The parameter values, in template order.</param>
    public static RequestOperation Operation(
        HttpMethod method,
        string template,
        params string?[] values
    )
    {
        var (path, problems) = Expand(template, values);
        return new RequestOperation(method, path) { Problems = problems };
    }

    /// <summary>Expands <paramref name="template"/>; see <see cref="Operation"/>. Never throws.</summary>
    /// <param name="template">The path template.</param>
    /// <param name="values">The parameter values, in template order.</param>
    public static (string Path, Seq<string> Problems) Expand(
        string template,
        params string?[] values
    )
    {
        var problems = Seq<string>();
        if (template is null)
        {
            problems = problems.Add("path template is null");
            template = "";
        }
        values ??= [];
        var sb = new StringBuilder(template.Length + 32);
        var next = 0;
        var i = 0;
        string Where(string what, int at) =>
            $"path template '{template}' has {what} at character {at + 1}";
        while (i < template.Length)
        {
            var brace = template.IndexOfAny(Braces, i);
            if (brace < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, brace - i);
            i = brace + 1;
            if (template[brace] == '}')
            {
                problems = problems.Add(Where("a '}' without a '{'", brace));
                sb.Append('}');
                continue;
            }
            var close = template.IndexOf('}', brace + 1);
            if (close < 0)
            {
                problems = problems.Add(Where("an unclosed '{'", brace));
                sb.Append(template, brace, template.Length - brace);
                break;
            }
            var name = template.Substring(brace + 1, close - brace - 1);
            var placeholder = template.Substring(brace, close - brace + 1);
            i = close + 1;
            var nested = name.IndexOf('{');
            if (nested >= 0)
            {
                problems = problems.Add(Where("a '{' inside a placeholder", brace + 1 + nested));
                sb.Append(placeholder);
                continue;
            }
            var value = next < values.Length ? values[next] : null;
            next++;
            var problem =
                name.Length == 0 ? Where("an empty placeholder '{}'", brace) : Check(name, value);
            if (problem is null)
                PercentEncoding.AppendEncoded(sb, value!);
            else
            {
                problems = problems.Add(problem);
                sb.Append(placeholder);
            }
        }
        if (next != values.Length)
            problems = problems.Add(
                $"path template {template} takes {next} parameter(s) but {values.Length} were given"
            );
        return (sb.ToString(), problems);
    }

    private static readonly char[] Braces = ['{', '}'];

    private static string? Check(string name, string? value) =>
        value switch
        {
            null => $"path parameter '{name}' is null",
            "" => $"path parameter '{name}' is empty",
            "." or ".." =>
                $"path parameter '{name}' is '{value}', which would leave its path segment",
            _ when !PercentEncoding.IsWellFormed(value) =>
                $"path parameter '{name}' is not well-formed Unicode (lone surrogate)",
            _ => null,
        };
}
