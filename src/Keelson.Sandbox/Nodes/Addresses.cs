using System.Globalization;
using System.IO.Hashing;
using System.Text;
using k8s.Models;

namespace Keelson.Sandbox.Nodes;

/// <summary>Stable simulated addresses: nodes in 10.0.0.0/16, pods in 10.244.0.0/16, both derived from a name or uid.</summary>
public static class Addresses
{
    /// <summary>The InternalIP of a node.</summary>
    public static string Node(string name) => Of(name, "10.0");

    /// <summary>The IP of a pod.</summary>
    public static string Pod(string uid) => Of(uid, "10.244");

    /// <summary>A node's status addresses (InternalIP and Hostname), as a kubelet reports them.</summary>
    public static List<V1NodeAddress> OfNode(string name) =>
        [new V1NodeAddress { Type = "InternalIP", Address = Node(name) }, new V1NodeAddress { Type = "Hostname", Address = name }];

    private static string Of(string seed, string prefix)
    {
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(seed));
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}.{(hash >> 8) & 0xff}.{(hash & 0xfd) + 2}");
    }
}
