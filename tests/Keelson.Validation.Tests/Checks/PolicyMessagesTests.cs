using Keelson.Testing;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests.Checks;

/// <summary>The wording of the policy findings compared with kube-score and kube-linter, on the regression file that shows them.</summary>
public sealed class PolicyMessagesTests
{
    [Fact]
    public async Task The_old_seccomp_annotation_is_named_and_a_numbered_user_is_not_root()
    {
        var path = Repo.File("tests", "Keelson.Validation.Tests", "regressions", "09-security-context-peers.yaml");

        var findings = Validator.Default.Validate(await ManifestLoader.LoadAsync([path], null, CancellationToken.None)).Findings;

        Assert.Contains("seccomp.security.alpha.kubernetes.io annotation", Assert.Single(findings, f => f.CheckId == "pod-seccomp").Message, StringComparison.Ordinal);
        Assert.Equal("container 'latest' runs as user 0 (root)", Assert.Single(findings, f => f.CheckId == "container-run-as-root").Message);
        Assert.Equal(
            ["container 'latest' pulls 'registry.example.com/tools:latest' only if absent, so each node keeps the build it pulled first", "container 'offline' never pulls its image: a node without it cannot start the pod"],
            findings.Where(f => f.CheckId == "container-image-pull-policy").Select(f => f.Message));
    }
}
