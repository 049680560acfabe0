using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Expands a path template such as <c>/api/profiles/{id}</c>, each parameter as exactly one segment.</summary>
public static class PathTemplate
{
    /// <summary>
    /// Expands <paramref name="template"/> with <paramref name="values"/> in the order the parameters appear,
    /// and returns the operation. A null, empty, <c>.</c> or <c>..</c> value, or one that is not well-formed
    /// Unicode, is recorded in <see cref="RequestOperation.Problems"/> (never thrown).
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

    /// <summary>Expands <paramref name="template"/>; see <see cref="Operation"/>.</summary>
    /// <param name="template">The path template.</param>
    /// <param name="values">The parameter values, in template order.</param>
    public static (string Path, Seq<string> Problems) Expand(
        string template,
        params string?[] values
    )
    {
        var sb = new StringBuilder(template.Length + 32);
        var problems = Seq<string>();
        var next = 0;
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            var close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            var value = next < values.Length ? values[next] : null;
            next++;
            var problem = Check(name, value);
            if (problem is null)
                PercentEncoding.AppendEncoded(sb, value!);
            else
            {
                problems = problems.Add(problem);
                sb.Append('{').Append(name).Append('}');
            }
            i = close + 1;
        }
        if (next != values.Length)
            problems = problems.Add(
                $"path template {template} takes {next} parameter(s) but {values.Length} were given"
            );
        return (sb.ToString(), problems);
    }

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
