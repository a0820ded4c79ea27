/* A small pointer-rich program: the table below needs one relative
 * relocation per pointer in a position-independent executable. */
#include <stdio.h>

static const char *const greetings[] = { "hello", "bonjour", "hola", "ciao", "hallo" };
static void (*const printers[])(const char *) = { (void (*)(const char *))puts };

int main(int argc, char **argv)
{
	(void)argv;
	printers[0](greetings[argc % 5]);
	return 0;
}
