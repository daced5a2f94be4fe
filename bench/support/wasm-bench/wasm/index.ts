// The reference's ABI micro-benchmarks (its benchmarks module), written with our AssemblyScript
// SDK: the same storages, reads and intents, so the two modules' figures compare.
import { keyBuilder, mustGetValue, newValue, Storage } from '@voedger-ts/extension-sdk';

export function doNothing(): void {}

export function oneKey1call(): void {
  keyBuilder('sys.Test2');
}

export function oneGetNoIntents2calls(): void {
  mustGetValue(keyBuilder(Storage.Event));
}

export function oneGetOneIntent5calls(): void {
  mustGetValue(keyBuilder(Storage.Event));
  newValue(keyBuilder(Storage.SendMail)).putString('from', 'test@gmail.com');
}
