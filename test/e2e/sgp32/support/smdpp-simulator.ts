import { startEsimctl, type RunningCli } from '@esim/orchestrator/testing';

/** What the SM-DP+ simulator's admin endpoint reports. */
export interface SmdppStatus {
  downloads: { eid: string; iccid: string }[];
  notifications: number;
}

/** The SM-DP+ simulator (`esimctl sim smdpp`) in its own process, ES9+ over plain HTTP on 127.0.0.1. */
export class SmdppSimulator {
  /** SM-DP+ address (host:port) as an activation code carries it. */
  address!: string;
  private admin!: string;
  private cli?: RunningCli;

  async start(): Promise<void> {
    this.cli = startEsimctl(['sim', 'smdpp', '--port', '0']);
    const ready = await this.cli.waitFor(/ES9\+ (http:\/\/\S+)\/gsma\S* address (\S+);/, 60_000);
    [this.admin, this.address] = [ready[1]!, ready[2]!];
  }

  async stop(): Promise<void> {
    await this.cli?.stop();
  }

  activationCode(matchingId: string): string {
    return `1$${this.address}$${matchingId}`;
  }

  async status(): Promise<SmdppStatus> {
    return (await (await fetch(`${this.admin}/sim/smdpp`)).json()) as SmdppStatus;
  }
}
