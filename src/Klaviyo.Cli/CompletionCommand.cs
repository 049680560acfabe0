using System.CommandLine;

namespace Klaviyo.Cli;

/// <summary>
/// <c>klaviyo completion bash|zsh|fish|pwsh</c>: prints a script that makes the shell ask the tool itself what can
/// come next (System.CommandLine's <c>[suggest:POSITION]</c> directive): commands, options, their allowed values and
/// operationIds (<c>klaviyo call get&lt;TAB&gt;</c>). No other tool is needed (dotnet-suggest works too).
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The shells a script is printed for.</summary>
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish", "pwsh"];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL")
        {
            Description = "The shell: bash, zsh, fish or pwsh (PowerShell)",
        };
        shell.AcceptOnlyFromAmong([.. Shells]);
        var command = new Command(
            "completion",
            "Print the shell script that completes commands, options and operation ids; see docs/cli.md (e.g. source <(klaviyo completion bash))"
        )
        {
            shell,
        };
        command.SetAction(parse =>
            Cli.Guard(() =>
            {
                Console.Out.Write(Script(parse.GetValue(shell)!));
                Console.Out.Flush();
                return ExitCodes.Success;
            })
        );
        return command;
    }

    /// <summary>The completion script for <paramref name="shell"/>.</summary>
    /// <param name="shell">bash, zsh, fish or pwsh.</param>
    public static string Script(string shell) =>
        shell switch
        {
            "bash" => """
                # klaviyo completion for bash: add to ~/.bashrc
                #   source <(klaviyo completion bash)
                _klaviyo_complete() {
                  local IFS=$'\n'
                  local line="${COMP_LINE:0:COMP_POINT}"
                  COMPREPLY=($(klaviyo "[suggest:${#line}]" "$line" 2>/dev/null))
                }
                complete -o default -F _klaviyo_complete klaviyo

                """,
            "zsh" => """
                # klaviyo completion for zsh: add to ~/.zshrc (after compinit)
                #   source <(klaviyo completion zsh)
                _klaviyo() {
                  local line="${BUFFER[1,CURSOR]}"
                  local -a candidates
                  candidates=("${(@f)$(klaviyo "[suggest:${#line}]" "$line" 2>/dev/null)}")
                  compadd -a candidates
                }
                compdef _klaviyo klaviyo

                """,
            "fish" => """
                # klaviyo completion for fish: save as ~/.config/fish/completions/klaviyo.fish
                #   klaviyo completion fish > ~/.config/fish/completions/klaviyo.fish
                function __klaviyo_complete
                    set -l line (commandline -cp)
                    klaviyo "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
                end
                complete -c klaviyo -f -a '(__klaviyo_complete)'

                """,
            "pwsh" => """
                # klaviyo completion for PowerShell: add to $PROFILE
                #   klaviyo completion pwsh | Out-String | Invoke-Expression
                Register-ArgumentCompleter -Native -CommandName klaviyo -ScriptBlock {
                    param($wordToComplete, $commandAst, $cursorPosition)
                    $line = $commandAst.ToString()
                    if ($line.Length -gt $cursorPosition) { $line = $line.Substring(0, $cursorPosition) }
                    klaviyo "[suggest:$($line.Length)]" "$line" 2>$null | ForEach-Object {
                        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                    }
                }

                """,
            _ => throw new UsageException(
                $"completion scripts exist for {string.Join(", ", Shells)}, not '{shell}'"
            ),
        };
}
